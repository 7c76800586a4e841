import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readArtifact } from './artifact-read.ts';
import { copyArtifact, sha256File } from './artifacts.ts';
import { collectBlobs, confirmBlob } from './blob-gc.ts';
import { CHUNK_SIZE, putFileBlob } from './blobs.ts';
import { deleteRunChecked } from './delete.ts';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { DIALECTS, freshStoreUrl, scalar, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

/** A store keeping artifact contents in its own tables, and a file of `size` random bytes. */
async function setup(dialect: (typeof DIALECTS)[number], size = CHUNK_SIZE + 10): Promise<{ store: Store; file: string; startRun: () => Promise<string> }> {
  const store = await openStore(await freshStoreUrl(dialect), { artifactsIn: 'store' });
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-blob-gc-')), 'weights.bin');
  writeFileSync(file, randomBytes(size));
  const tracker = createTracker(store);
  // ended at once: a running run's deletion would wait for it to stop
  const startRun = async () => {
    const run = await tracker.startRun({ experiment: 'gc', config: {}, yaml: '', configHash: 'h' });
    await run.end('finished');
    return run.id;
  };
  return { store, file, startRun };
}

const counts = async (store: Store) => ({ blobs: await scalar(store, 'SELECT count(*) AS n FROM blobs'), chunks: await scalar(store, 'SELECT count(*) AS n FROM blob_chunks') });

describe.each(DIALECTS)('%s store: artifact contents freed with their last run', (dialect) => {
  it('keeps a content while another run names it, frees it with the last one', async () => {
    const { store, file, startRun } = await setup(dialect);
    const [a, b] = [await startRun(), await startRun()];
    await copyArtifact(store, a, file, 'weights');
    const recB = await copyArtifact(store, b, file, 'weights');
    expect(await counts(store)).toEqual({ blobs: 1, chunks: 2 });

    const first = await deleteRunChecked(store, a);
    expect(first.blobsFreed).toEqual({ blobs: 0, bytes: 0 });
    expect((await readArtifact(store, recB)).equals(readFileSync(file))).toBe(true);

    const last = await deleteRunChecked(store, b);
    expect(last.blobsFreed).toEqual({ blobs: 1, bytes: CHUNK_SIZE + 10 });
    expect(await counts(store)).toEqual({ blobs: 0, chunks: 0 });
    store.close();
  });

  it('collects every unreferenced content, but not the chunks of a content still being written', async () => {
    const { store, file, startRun } = await setup(dialect, 100);
    const run = await startRun();
    await copyArtifact(store, run, file, 'weights');
    // what an older Kiln left: the run gone (its artifact rows cascade), the content kept
    await store.conn.writeBatch([sql`DELETE FROM runs WHERE id = ${run}`]);
    // a writer midway: chunks stored, its blob row not yet written
    await store.conn.writeBatch([sql`INSERT INTO blob_chunks (sha256, idx, data) VALUES ('in-progress', 0, ${Buffer.from('x')})`]);
    expect(await collectBlobs(store)).toEqual({ blobs: 1, bytes: 100 });
    expect(await counts(store)).toEqual({ blobs: 0, chunks: 1 });
    expect(await collectBlobs(store)).toEqual({ blobs: 0, bytes: 0 });
    store.close();
  });

  it('stores a content again when it was freed between a writer finding it and naming it (confirmBlob)', async () => {
    const { store, file, startRun } = await setup(dialect);
    const sha = await sha256File(file);
    // the writer's putFileBlob finds the content stored; before its artifact row lands, a deletion frees it
    await putFileBlob(store, sha, file);
    expect(await collectBlobs(store, [sha])).toEqual({ blobs: 1, bytes: CHUNK_SIZE + 10 });
    const runId = await startRun();
    await store.conn.writeBatch([sql`INSERT INTO artifacts (run_id, path, kind, size, sha256, created_at) VALUES (${runId}, ${`${runId}/weights.bin`}, 'weights', ${CHUNK_SIZE + 10}, ${sha}, 0)`]);
    const rec = { id: 0, runId, path: `${runId}/weights.bin`, kind: 'weights', size: CHUNK_SIZE + 10, sha256: sha };
    await expect(readArtifact(store, rec)).rejects.toThrow();
    // the writer's check after naming it puts it back
    await confirmBlob(store, sha, file);
    expect((await readArtifact(store, rec)).equals(readFileSync(file))).toBe(true);
    expect(await counts(store)).toEqual({ blobs: 1, chunks: 2 });
    store.close();
  });

  it('does nothing for a store that keeps artifacts in a folder', async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), 'kiln-blob-gc-')), 'k.db'));
    expect(store.artifactsIn).toBe('folder');
    expect(await collectBlobs(store)).toEqual({ blobs: 0, bytes: 0 });
    store.close();
  });
});
