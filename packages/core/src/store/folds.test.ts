import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { foldRuns, getRun, listRuns } from './query.ts';
import { filterNamesFolds, foldValues, meanStd, summarizeFolds } from './folds.ts';
import { exportRuns } from './export.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';
import { storeBefore } from './testing/migrations.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

describe('fold summaries', () => {
  it('are the mean and the population standard deviation of each key over the folds that report it', () => {
    expect(meanStd([0.9, 0.8, 1.0])).toEqual({ mean: expect.closeTo(0.9, 12) as number, std: expect.closeTo(Math.sqrt(0.02 / 3), 12) as number, n: 3 });
    expect(meanStd([Number.NaN]).n).toBe(0);
    const s = summarizeFolds([{ 'val.accuracy': 0.5, 'test.loss': 2 }, { 'val.accuracy': 0.7, 'test.loss': 4 }]);
    expect(s['val.accuracy']).toBeCloseTo(0.6, 12);
    expect(s['val.accuracy.std']).toBeCloseTo(0.1, 12);
    expect([s['test.loss'], s['test.loss.std']]).toEqual([3, 1]);
  });

  it('tell a filter that asks for fold runs by name from one that does not', () => {
    expect(['foldParentId = "x"', 'fold >= 2', 'fold_parent_id = "x"'].map(filterNamesFolds)).toEqual([true, true, true]);
    expect([undefined, 'metrics.val.accuracy > 0.9', 'tags.folded = "y"', 'name = "foldy"'].map(filterNamesFolds)).toEqual([false, false, false, false]);
  });
});

describe.each(DIALECTS)('%s store k-fold runs', (dialect) => {
  const base = { experiment: 'cv', config: {}, yaml: 'name: x\n', configHash: 'h' };

  it('round-trips a parent and its folds: each fold names its parent and fold, the parent its mean ± std, listings can leave folds out', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const s = store;
    const tracker = createTracker(s);
    const parent = await tracker.startRun({ ...base, name: 'cv-parent' });
    const accuracies = [0.75, 0.95, 0.85];
    // started out of order: listings go by fold, not by start
    for (const fold of [2, 1, 3]) {
      const child = await tracker.startRun({ ...base, name: `cv-fold-${fold}`, foldParentId: parent.id, fold });
      child.logMetrics([{ key: 'val.accuracy', step: 1, epoch: 1, value: accuracies[fold - 1] ?? Number.NaN }]);
      await child.recordKept(1, { 'val.accuracy': accuracies[fold - 1] ?? Number.NaN });
      await child.end('finished');
    }
    const folds = await foldRuns(s, parent.id);
    expect(folds.map((f) => [f.name, f.fold, f.foldParentId])).toEqual([1, 2, 3].map((i) => [`cv-fold-${i}`, i, parent.id]));
    const summary = summarizeFolds(folds.map(foldValues));
    parent.logMetrics(Object.entries(summary).map(([key, value]) => ({ key, step: 3, value })));
    await parent.recordKept(null, summary);
    await parent.end('finished');

    const got = await getRun(s, parent.id);
    expect(got?.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    expect(got?.metrics['val.accuracy']?.final).toBeCloseTo(0.85, 12);
    expect(got?.metrics['val.accuracy.std']?.final).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
    expect(got?.keptEpoch).toBeNull();
    const child = await getRun(s, folds[0]?.id ?? 'missing');
    expect([child?.foldParentId, child?.fold, child?.folds]).toEqual([parent.id, 1, []]);

    expect((await listRuns(s, { sort: 'name' })).runs.map((r) => r.name)).toEqual(['cv-fold-1', 'cv-fold-2', 'cv-fold-3', 'cv-parent']);
    const parents = await listRuns(s, { hideFolds: true });
    expect([parents.total, parents.runs.map((r) => r.name)]).toEqual([1, ['cv-parent']]);
    const byFilter = await listRuns(s, { filter: `foldParentId = "${parent.id}" and fold >= 2`, sort: 'fold' });
    expect(byFilter.runs.map((r) => r.name)).toEqual(['cv-fold-2', 'cv-fold-3']);
    const exported = await exportRuns(s, { sort: 'name' });
    expect(exported.map((r) => [r.name, r.foldParentId, r.fold])).toEqual([...[1, 2, 3].map((i) => [`cv-fold-${i}`, parent.id, i]), ['cv-parent', null, null]]);
  });

  it('upgrades a store made before fold_parent_id: old runs keep their data and are no folds', async () => {
    const url = await storeBefore(dialect, '_run_folds', [
      sql`INSERT INTO experiments (name, created_at) VALUES ('old', 1)`,
      sql`INSERT INTO runs (id, name, experiment_id, status, started_at, config_json, yaml, config_hash)
        SELECT 'r-old', 'before', id, 'finished', 1, '{}', 'x: 1', 'h' FROM experiments WHERE name = 'old'`,
    ]);
    store = await openStore(url);
    expect(await getRun(store, 'r-old')).toMatchObject({ name: 'before', foldParentId: null, fold: null, folds: [] });
    expect((await listRuns(store, { hideFolds: true })).runs.map((r) => r.id)).toEqual(['r-old']);
  });
});
