import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { copyStore } from './copy.ts';
import { getRun, listRuns, metricHistory } from './query.ts';
import { addTrials, claimTrial, createSweep, listTrials } from './sweeps.ts';
import { freshStoreUrl, stopTestCluster } from './testing/stores.ts';

const open: Store[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));
afterAll(stopTestCluster);

async function fresh(dialect: 'sqlite' | 'pg'): Promise<Store> {
  const s = await openStore(await freshStoreUrl(dialect));
  open.push(s);
  return s;
}

describe('copyStore', () => {
  it('moves a file store into PostgreSQL without loss: counts and checksums match, ids keep working', async () => {
    const src = await fresh('sqlite');
    const tracker = createTracker(src);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      // r1 and r2 start from r0 (model.from), so the copy must carry parent_run_id.
      const parentRunId = i === 0 ? null : ids[0];
      const run = await tracker.startRun({ experiment: `e${i % 2}`, name: `r${i}`, config: { i }, yaml: 'x: 1\n', configHash: 'h', provenance: { gitDirty: i === 1, host: 'laptop' }, parentRunId });
      ids.push(run.id);
      await run.logParams({ 'train.lr': i / 10, opt: 'adam', flag: true, shape: [1, 2] });
      run.logMetrics(Array.from({ length: 3000 }, (_, step) => ({ key: 'loss', step, value: 1 / (step + 1 + i) })));
      await run.setTag('note', `it's "run" ${i}`);
      await run.end('finished');
    }
    const sweep = await createSweep(src, { name: 's', experiment: 'e0', spec: { a: 1 }, method: 'grid', metric: 'loss', goal: 'minimize' });
    await addTrials(src, sweep, [{ number: 0, params: { x: 1 } }]);

    const dst = await fresh('pg');
    const reports = await copyStore(src, dst);
    expect(reports.map((r) => r.table)).toContain('metrics');
    for (const r of reports) expect(r, r.table).toMatchObject({ ok: true, targetRows: r.sourceRows, targetChecksum: r.sourceChecksum });
    expect(reports.find((r) => r.table === 'metrics')?.sourceRows).toBe(9000);

    const [a, b] = await Promise.all([listRuns(src, { sort: 'name' }), listRuns(dst, { sort: 'name' })]);
    expect(b).toEqual(a);
    const id = a.runs[1]?.id ?? 'missing run';
    const [r0 = 'missing run'] = ids;
    expect(await getRun(dst, id)).toEqual(await getRun(src, id));
    expect((await getRun(dst, id))?.parent).toMatchObject({ id: r0, name: 'r0' });
    expect((await getRun(dst, r0))?.children.map((r) => r.name)).toEqual(['r1', 'r2']);
    expect(await metricHistory(dst, id, 'loss', { points: 100 })).toEqual(await metricHistory(src, id, 'loss', { points: 100 }));
    // Identity sequences continue past the copied ids.
    await addTrials(dst, sweep, [{ number: 1, params: { x: 2 } }]);
    expect((await claimTrial(dst, sweep, 'w'))?.number).toBe(0);
    expect((await listTrials(dst, sweep)).map((t) => t.id)).toEqual([1, 2]);
    await expect(copyStore(src, dst)).rejects.toThrow(/not empty/);
  });
});
