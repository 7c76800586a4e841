import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyArtifacts } from './artifact-copy.ts';
import { readArtifact } from './artifact-read.ts';
import { copyArtifact } from './artifacts.ts';
import { CHUNK_SIZE } from './blobs.ts';
import { copyStore } from './copy.ts';
import { openStore } from './open.ts';
import { createTracker } from './tracker.ts';
import { freshPgUrl, scalar, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

describe('copyStore + copyArtifacts between stores that keep artifacts in their tables', () => {
  it('brings the blobs over with the rows (checksummed per chunk), so nothing is copied twice, and they read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-blob-copy-'));
    const from = await openStore(join(dir, 'from.db'), { artifactsIn: 'store' });
    const run = await createTracker(from).startRun({ experiment: 'copy', config: {}, yaml: '', configHash: 'h' });
    const file = join(dir, 'weights.bin');
    writeFileSync(file, randomBytes(CHUNK_SIZE + 123));
    const rec = await copyArtifact(from, run.id, file, 'weights');
    const to = await openStore(await freshPgUrl());
    expect(to.artifactsIn).toBe('store');
    const reports = await copyStore(from, to);
    expect(reports.filter((r) => r.table.startsWith('blob'))).toEqual([expect.objectContaining({ table: 'blobs', sourceRows: 1, ok: true }), expect.objectContaining({ table: 'blob_chunks', sourceRows: 2, ok: true })]);
    expect(await copyArtifacts(from, to)).toEqual({ artifacts: 1, copied: 0, bytes: 0, present: 1 });
    expect((await readArtifact(to, rec)).equals(readFileSync(file))).toBe(true);
    expect(await scalar(to, 'SELECT count(*) AS n FROM blob_chunks')).toBe(2);
    from.close();
    to.close();
  });
});
