/**
 * The one way to read a run's artifact, wherever the store keeps it: in its own tables (blobs.ts)
 * or as a file in the artifacts folder. The bytes stream, and their sha256 is checked against the
 * store's record at the end: a mismatch (or a short read) fails the stream with a KilnFailure.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { KilnFailure, kilnError, type KilnError } from '../errors.ts';
import type { ArtifactRecord } from './artifacts.ts';
import { blobBytes, blobInfo, CHUNK_SIZE } from './blobs.ts';
import type { Store } from './open.ts';
import { artifacts } from './schema.ts';

/** An artifact opened for reading: its record, where its bytes come from, and the verified stream. */
export interface OpenedArtifact {
  record: ArtifactRecord;
  /** `store` (the database's blob tables) or the file it is read from. */
  source: 'store' | { file: string };
  /** The bytes; errors with KilnFailure `artifact/changed` when their sha256 is not the recorded one. */
  stream: Readable;
}

/** The record of `<runId>/<name>`, or undefined when the run logged no such artifact. */
export async function findArtifact(store: Store, runId: string, name: string): Promise<ArtifactRecord | undefined> {
  const [row] = await store.db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.runId, runId), eq(artifacts.path, `${runId}/${name}`)));
  return row === undefined ? undefined : { id: row.id, runId: row.runId, path: row.path, kind: row.kind, size: row.size, sha256: row.sha256 };
}

const fail = (e: KilnError): never => {
  throw new KilnFailure(e);
};

/**
 * Hashes the bytes as they pass and checks size and sha256 once they have all passed. The last
 * chunk is held back until the check passes, so a reader that trusts the length it was promised
 * (an HTTP response's Content-Length) never receives a complete body whose content is wrong.
 */
async function* verified(source: AsyncIterable<Buffer>, record: ArtifactRecord, what: string, hint: string): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | undefined;
  for await (const chunk of source) {
    if (held !== undefined) yield held;
    hash.update(chunk);
    size += chunk.length;
    held = chunk;
  }
  if (size !== record.size) fail(kilnError('artifact/size', '', `${what} is ${size < record.size ? 'truncated' : 'longer than it was'}: ${size} bytes, but ${record.size} were recorded when the run saved it`, hint));
  const sha256 = hash.digest('hex');
  if (sha256 !== record.sha256) fail(kilnError('artifact/changed', '', `${what} has changed since the run saved it (sha256 ${sha256.slice(0, 12)}, recorded ${record.sha256.slice(0, 12)})`, hint));
  if (held !== undefined) yield held;
}

/** Opens a recorded artifact's bytes: from the store's blobs when it holds them, else from the artifacts folder. */
export async function openRecord(store: Store, record: ArtifactRecord): Promise<OpenedArtifact> {
  const what = `run ${record.runId}'s ${basename(record.path)}`;
  const blob = await blobInfo(store, record.sha256);
  if (blob !== undefined) {
    const stream = Readable.from(verified(blobBytes(store, blob, what), record, what, 'the copy in the store is damaged: log the artifact again from a machine that has it, or train the run again'));
    return { record, source: 'store', stream };
  }
  const file = join(store.artifactsDir, record.path);
  const hint = `restore ${join(store.artifactsDir, record.runId)} from a backup, or train the run again`;
  const st = await stat(file).catch(() => undefined);
  if (st === undefined || !st.isFile()) {
    const where = store.artifactsIn === 'store' ? `neither in the store nor in ${store.artifactsDir}` : `missing from ${store.artifactsDir}`;
    const elsewhere = store.artifactsIn === 'folder' ? '; if the runs were trained on another machine, point --artifacts (or KILN_ARTIFACTS) at the shared folder they wrote to' : '';
    fail({ code: 'artifact/missing', path: '', file, message: `${what} is ${where}`, hint: `${hint}${elsewhere}` });
  }
  const stream = Readable.from(verified(createReadStream(file, { highWaterMark: CHUNK_SIZE }) as AsyncIterable<Buffer>, record, what, hint));
  return { record, source: { file }, stream };
}

/** Opens `<runId>/<name>` for reading, verified against its record; a KilnFailure when the run logged no such artifact. */
export async function openArtifact(store: Store, runId: string, name: string): Promise<OpenedArtifact> {
  const record = await findArtifact(store, runId, name);
  if (record === undefined) return fail(kilnError('artifact/not-logged', '', `run ${runId} has no artifact named ${name}`, `kiln show ${runId} lists the run's artifacts`));
  return openRecord(store, record);
}

/** The whole verified content of a (small) artifact, e.g. a run's preprocess.json. */
export async function readArtifact(store: Store, record: ArtifactRecord): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of (await openRecord(store, record)).stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
