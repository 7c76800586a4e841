/**
 * Confines artifact reads to one run's folder. The relative path is checked lexically (no `..`,
 * no absolute or drive paths, no NUL, no backslashes), then the real path (symlinks resolved)
 * must still lie inside the real run folder. A file the run logged is read through core's one
 * artifact read path (from the store's tables or the folder, sha256 checked as it streams).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { KilnFailure } from '@kiln/core/errors';
import { blobInfo, findArtifact, openRecord, type Store } from '../data/store.ts';

export type Resolved = { ok: true; path: string; size: number } | { ok: false; status: 400 | 404; reason: string };

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Lexical checks on an already-decoded relative path; returns a reason when it must be rejected. */
export function lexicalProblem(rel: string): string | null {
  if (rel === '' || rel.length > 1024) return 'empty or overlong path';
  if (rel.includes('\0')) return 'NUL in path';
  if (rel.includes('\\')) return 'backslash in path';
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return 'absolute path';
  const parts = rel.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return 'dot or empty segment';
  // A second round of decoding must not reveal anything new (double-encoded %252e%252e).
  if (/%2e|%2f|%5c|%00/i.test(rel)) return 'encoded separator or dot';
  return null;
}

/** Resolves `rel` inside `<root>/<runId>/` to a regular file, or explains why not. */
export async function resolveArtifact(root: string, runId: string, rel: string): Promise<Resolved> {
  if (!RUN_ID.test(runId)) return { ok: false, status: 400, reason: 'bad run id' };
  const problem = lexicalProblem(rel);
  if (problem !== null) return { ok: false, status: 400, reason: problem };
  let runDir: string;
  let target: string;
  try {
    runDir = await realpath(join(root, runId));
    target = await realpath(join(runDir, rel));
  } catch {
    return { ok: false, status: 404, reason: 'no such artifact' };
  }
  const inside = relative(runDir, target);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return { ok: false, status: 400, reason: 'path leaves the run folder' };
  }
  const st = await stat(target);
  if (!st.isFile()) return { ok: false, status: 404, reason: 'not a file' };
  return { ok: true, path: target, size: st.size };
}

/** An artifact ready to send: its bytes, length, download name and (when logged) its recorded sha256. */
export type Servable = { ok: true; stream: Readable; size: number; name: string; sha256?: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * Opens `rel` of run `runId` for download. A logged artifact whose content the store holds streams
 * from there; one in the folder must also pass the folder confinement above. A file in the run's
 * folder that the run never logged is served as it is (nothing recorded to check it against).
 */
export async function openServable(store: Store, root: string, runId: string, rel: string): Promise<Servable> {
  if (!RUN_ID.test(runId)) return { ok: false, status: 400, reason: 'bad run id' };
  const problem = lexicalProblem(rel);
  if (problem !== null) return { ok: false, status: 400, reason: problem };
  const record = await findArtifact(store, runId, rel);
  const inStore = record !== undefined && (await blobInfo(store, record.sha256)) !== undefined;
  if (!inStore) {
    const found = await resolveArtifact(root, runId, rel);
    if (!found.ok) return found;
    if (record === undefined) return { ok: true, stream: createReadStream(found.path), size: found.size, name: basename(found.path) };
  }
  if (record === undefined) return { ok: false, status: 404, reason: 'no such artifact' };
  try {
    const opened = await openRecord(store, record);
    return { ok: true, stream: opened.stream, size: record.size, name: basename(record.path), sha256: record.sha256 };
  } catch (e) {
    if (e instanceof KilnFailure) return { ok: false, status: 404, reason: e.message };
    throw e;
  }
}
