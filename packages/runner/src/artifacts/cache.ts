/**
 * Model files kept in the store's tables are loaded from a local copy: each content is written once
 * into a cache folder under its sha256 (checked while it is written, and again whenever it is used),
 * and a run's files are linked from there under their own names, the layout tfjs' loader expects.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { openRecord, sha256File, type ArtifactRecord, type Store } from '@kiln/core/store';

/** The artifact cache: $KILN_ARTIFACT_CACHE, else the user's cache folder (~/.cache/kiln/artifacts). */
export function artifactCacheDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.KILN_ARTIFACT_CACHE) return resolve(cwd, env.KILN_ARTIFACT_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kiln', 'artifacts');
}

const tmpName = (file: string) => `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** The cached copy of one artifact's content, written (verified) if it is not there or no longer matches. */
export async function cachedContent(store: Store, record: ArtifactRecord, cacheDir: string): Promise<string> {
  const file = join(cacheDir, 'sha256', record.sha256.slice(0, 2), record.sha256);
  const have = await stat(file).catch(() => undefined);
  if (have?.size === record.size && (await sha256File(file)) === record.sha256) return file;
  await mkdir(join(cacheDir, 'sha256', record.sha256.slice(0, 2)), { recursive: true });
  const tmp = tmpName(file);
  try {
    // The stream fails (and the partial copy is removed) when the bytes do not hash to the record.
    await pipeline((await openRecord(store, record)).stream, createWriteStream(tmp));
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}

/** Links (or, across file systems, copies) `from` to `to`, replacing what is there in one rename. */
async function place(from: string, to: string): Promise<void> {
  const tmp = tmpName(to);
  await link(from, tmp).catch(() => copyFile(from, tmp));
  await rename(tmp, to);
}

/** A folder holding the run's `records` under their own names, each checked against its sha256. */
export async function materializeRun(store: Store, runId: string, records: readonly ArtifactRecord[], cacheDir: string): Promise<string> {
  const dir = join(cacheDir, 'runs', runId);
  try {
    await mkdir(dir, { recursive: true });
    for (const record of records) await place(await cachedContent(store, record, cacheDir), join(dir, basename(record.path)));
  } catch (e) {
    if (e instanceof KilnFailure) throw e;
    // A cache folder that cannot be written (read-only home, full disk) is named, with the variable that moves it.
    const code = (e as NodeJS.ErrnoException).code ?? 'an error';
    throw new KilnFailure(kilnError('artifact/cache', '', `cannot write run ${runId}'s model files into the artifact cache ${cacheDir} (${code})`, 'set KILN_ARTIFACT_CACHE to a writable folder with room for the model'));
  }
  return dir;
}
