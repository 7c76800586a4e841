/**
 * A team store keeps artifact contents in PostgreSQL: `kiln delete` frees what only the deleted run
 * named (a content two runs share stays until the second goes), and `kiln store gc` frees what an
 * older Kiln's deletes left behind.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '@kiln/core/store';
import { freshPgUrl, scalar, stopTestCluster, storeRows } from '../../packages/core/src/store/testing/stores.ts';
import { machine, on, penguins } from './machines.ts';

afterAll(stopTestCluster);

const TINY: [string, string][] = [['epochs: 100', 'epochs: 2']];

function trainedRun(r: { code: number | null; stdout: string; stderr: string }): string {
  if (r.code !== 0) throw new Error(`kiln exited ${r.code}\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { runId: string }).runId;
}

async function blobCount(url: string): Promise<number> {
  const store = await openStore(url, { mode: 'read' });
  try {
    return await scalar(store, 'SELECT count(*) AS n FROM blobs');
  } finally {
    store.close();
  }
}

describe('artifact contents in a PostgreSQL store', () => {
  it('kiln delete frees the contents no other run names; kiln store gc frees what older deletes left', async () => {
    const url = await freshPgUrl();
    const m = machine(url);
    const spec = penguins(m, 'penguins', TINY);
    const first = trainedRun(on(m, ['train', spec, '--json']));
    // another learning rate: other weights, the same split and preprocessing
    const second = trainedRun(on(m, ['train', spec, '--json', '--set', 'train.optimizer.learningRate=0.05']));
    const stored = await blobCount(url);
    expect(stored).toBeGreaterThan(0);

    const del = on(m, ['delete', first, '--yes']);
    expect(del.code, del.stderr).toBe(0);
    const left = await blobCount(url);
    // the first run's own weights went; what the second shares with it (the split, the preprocessing) stayed
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(stored);
    expect(del.stdout).toMatch(/^deleted \S+ \(\d+ bytes of artifacts freed in the store\)$/m);

    // an older Kiln deleted rows only: the run goes, its contents stay behind
    const store = await openStore(url);
    await storeRows(store)`DELETE FROM runs WHERE id = ${second}`;
    store.close();
    expect(await blobCount(url)).toBe(left);
    const gc = on(m, ['store', 'gc']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(new RegExp(`: ${left} unreferenced artifact contents freed \\(\\d+ bytes\\)`));
    expect(await blobCount(url)).toBe(0);

    const bad = on(m, ['store', 'gcc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('migrate, copy, gc');
  });
});
