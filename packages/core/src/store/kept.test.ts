import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from './open.ts';
import { createTracker, uniqueName } from './tracker.ts';
import { getRun, listRuns, summaryValue } from './query.ts';
import { exportRuns } from './export.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';
import { storeBefore } from './testing/migrations.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

describe.each(DIALECTS)('%s store: kept model and run names', (dialect) => {
  const base = { experiment: 'wine', config: { name: 'wine-mlp' }, yaml: 'name: wine-mlp\n', configHash: 'h' };

  it("records the kept epoch and the kept model's values; listings, filters and sorts use them, history stays as logged", async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store);
    const kept = await tracker.startRun({ ...base, pipeline: 'wine-mlp' });
    // val.auc peaks at epoch 2 and is restored; the last epoch logged 0.9782.
    kept.logMetrics([1, 2, 3].map((e) => ({ key: 'val.auc', step: e * 10, epoch: e, value: [0.95, 0.977, 0.9782][e - 1] ?? Number.NaN })));
    kept.logMetrics([{ key: 'test.auc', step: 30, epoch: 3, value: 0.96 }]);
    await kept.recordKept(2, { 'val.auc': 0.977, 'test.auc': 0.96 });
    await kept.end('finished');
    const unkept = await tracker.startRun({ ...base, pipeline: 'wine-mlp' });
    unkept.logMetrics([{ key: 'val.auc', step: 10, epoch: 1, value: 0.98 }]);
    await unkept.end('failed', 'boom');

    const row = (await getRun(store, kept.id))!;
    expect(row.keptEpoch).toBe(2);
    expect(row.metrics['val.auc']).toMatchObject({ final: 0.977, last: 0.9782, max: 0.9782, count: 3 });
    expect(summaryValue(row.metrics['val.auc'])).toEqual({ value: 0.977, label: 'final' });
    const other = (await getRun(store, unkept.id))!;
    expect(other.keptEpoch).toBeNull();
    expect(summaryValue(other.metrics['val.auc'])).toEqual({ value: 0.98, label: 'last' });

    const over = await listRuns(store, { filter: 'metrics.val.auc > 0.9775' });
    expect(over.runs.map((r) => r.id)).toEqual([unkept.id]);
    const sorted = await listRuns(store, { sort: '-metrics.val.auc' });
    expect(sorted.runs.map((r) => r.id)).toEqual([unkept.id, kept.id]);
    expect((await listRuns(store, { filter: 'keptEpoch = 2' })).runs.map((r) => r.id)).toEqual([kept.id]);
    const exported = await exportRuns(store, { sort: 'startedAt' });
    expect(exported.map((r) => [r.keptEpoch, r['metrics.val.auc']])).toEqual([[2, 0.977], [null, 0.98]]);
  });

  it('names runs <pipeline>-<4 hex>, longer when taken; the filter finds them by pipeline name (name) or display name (runName)', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store);
    const a = await tracker.startRun({ ...base, pipeline: 'wine-mlp' });
    expect(a.name).toMatch(/^wine-mlp-[0-9a-f]{4}$/);
    // A name already taken makes the suffix longer.
    const id = 'mk1x2y3z0123456789';
    expect(await uniqueName(store, 'wine-mlp', id)).toBe('wine-mlp-6789');
    await tracker.startRun({ ...base, pipeline: 'wine-mlp', name: 'wine-mlp-6789' });
    expect(await uniqueName(store, 'wine-mlp', id)).toBe('wine-mlp-456789');
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) names.add((await tracker.startRun({ ...base, pipeline: 'wine-mlp' })).name);
    expect(names.size).toBe(5);
    const other = await tracker.startRun({ ...base, pipeline: 'penguins-mlp', experiment: 'penguins' });

    const byPipeline = await listRuns(store, { filter: 'name = "wine-mlp"' });
    expect(byPipeline.total).toBe(7);
    expect(byPipeline.runs.every((r) => r.pipeline === 'wine-mlp')).toBe(true);
    expect((await listRuns(store, { filter: `runName = "${a.name}"` })).runs.map((r) => r.id)).toEqual([a.id]);
    expect((await listRuns(store, { filter: 'name = "penguins-mlp"' })).runs.map((r) => r.id)).toEqual([other.id]);
  });

  it("upgrades a store made before the kept model: old runs get their pipeline's name from the config and no final values", async () => {
    const url = await storeBefore(dialect, '_kept_model', [
      sql`INSERT INTO experiments (name, created_at) VALUES ('old', 1)`,
      sql`INSERT INTO runs (id, name, experiment_id, status, started_at, config_json, yaml, config_hash)
        SELECT 'r-old', 'old-1a2b3c', id, 'finished', 1, '{"name":"wine-mlp","seed":1}', 'x: 1', 'h' FROM experiments WHERE name = 'old'`,
      sql`INSERT INTO runs (id, name, experiment_id, status, started_at, config_json, yaml, config_hash)
        SELECT 'r-bare', 'bare', id, 'finished', 1, '{}', 'x: 1', 'h' FROM experiments WHERE name = 'old'`,
      sql`INSERT INTO metric_summaries (run_id, key, last, last_step, min, min_step, max, max_step, best_step, count)
        VALUES ('r-old', 'val.auc', 0.9, 5, 0.8, 1, 0.9, 5, 5, 5)`,
    ]);
    store = await openStore(url);
    const old = (await getRun(store, 'r-old'))!;
    expect(old).toMatchObject({ name: 'old-1a2b3c', pipeline: 'wine-mlp', keptEpoch: null });
    expect(old.metrics['val.auc']).toMatchObject({ last: 0.9, final: null });
    expect((await getRun(store, 'r-bare'))?.pipeline).toBe('bare');
    expect((await listRuns(store, { filter: 'name = "wine-mlp"' })).runs.map((r) => r.id)).toEqual(['r-old']);
  });
});
