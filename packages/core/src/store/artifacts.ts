/** Run artifacts: copied into the store's artifacts folder, or its blob tables, and recorded with size and sha256. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { must } from '../errors.ts';
import type { Store } from './open.ts';
import { artifacts } from './schema.ts';
import { withBusyRetry } from './retry.ts';
import { putFileBlob } from './blobs.ts';
import { confirmBlob } from './blob-gc.ts';

export interface ArtifactRecord {
  id: number;
  runId: string;
  /** Path relative to the store's artifacts folder: `<run-id>/<file>`. */
  path: string;
  kind: string;
  size: number;
  sha256: string;
}

/** sha256 of a file, streamed so large model weights do not load into memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Inserts the artifact's row. */
async function record(store: Store, runId: string, rel: string, kind: string, size: number, sha256: string): Promise<ArtifactRecord> {
  const [row] = await withBusyRetry(() =>
    store.db.insert(artifacts).values({ runId, path: rel, kind, size, sha256, createdAt: Date.now() }).returning({ id: artifacts.id }),
  );
  return { id: must(row, 'an insert returning a column yields one row').id, runId, path: rel, kind, size, sha256 };
}

/**
 * Records `localPath` as an artifact of the run: its content goes into the store's blob tables
 * (deduplicated by sha256) when the store keeps artifacts itself, else it is copied into
 * `<artifactsDir>/<runId>/`.
 */
export async function copyArtifact(store: Store, runId: string, localPath: string, kind: string): Promise<ArtifactRecord> {
  const rel = `${runId}/${basename(localPath)}`;
  if (store.artifactsIn === 'store') {
    const sha256 = await sha256File(localPath);
    const { size } = await putFileBlob(store, sha256, localPath);
    const rec = await record(store, runId, rel, kind, size, sha256);
    // the content may have been an existing blob that a deletion freed before this row named it
    await confirmBlob(store, sha256, localPath);
    return rec;
  }
  const dir = join(store.artifactsDir, runId);
  await mkdir(dir, { recursive: true });
  const dest = join(store.artifactsDir, rel);
  await copyFile(localPath, dest);
  const [{ size }, sha256] = await Promise.all([stat(dest), sha256File(dest)]);
  return record(store, runId, rel, kind, size, sha256);
}
