// The listing's metric-ordered page (run-page.ts) and the experiments page's best values (experiment-best.ts) read a
// prefix of an index and fall back when it is not enough: both ways against answers computed here, on both dialects.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { listRuns } from './query.ts';
import { compileFilter } from './filter-sql.ts';
import { orderedPage } from './run-page.ts';
import { experimentsWithBest } from './experiment-best.ts';
import { createTracker } from './tracker.ts';
import { seededRunId, seedRunsBulk } from './testing/seed-bulk.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

const N = 300;
interface Row {
  id: string;
  experiment: string;
  acc: number | null;
  optimizer: string | null;
  lr: number | string | null;
}
const seeded: Row[] = Array.from({ length: N }, (_, i) => ({ id: seededRunId(i), experiment: `exp${i % 10}`, acc: ((i * 31) % 1000) / 1000, optimizer: ['adam', 'sgd', 'rmsprop'][i % 3] ?? null, lr: (i % 100) / 1000 }));

/**
 * Runs the seed does not make: three without val.accuracy (they sort last), one far below every seeded value; a text
 * train.lr (after every number), one equal to three seeded runs' (a tie), two runs without one.
 */
async function extraRuns(s: Store): Promise<Row[]> {
  const tracker = createTracker(s, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
  const out: Row[] = [];
  for (const [experiment, metrics, lr] of [
    ['extra', { 'val.loss': 0.9 }, 'auto'],
    ['extra', { 'val.loss': 0.5 }, 0.05],
    ['extra', { 'val.loss': 0.7 }, null],
    ['poor', { 'val.accuracy': 0.0001, 'val.loss': 0.2 }, null],
  ] as const) {
    const run = await tracker.startRun({ experiment, config: {}, yaml: '', configHash: 'x', provenance: {} });
    if (lr !== null) await run.logParams({ 'train.lr': lr });
    run.logMetrics(Object.entries(metrics).map(([key, value]) => ({ key, step: 1, value })));
    await run.end('finished');
    out.push({ id: run.id, experiment, acc: 'val.accuracy' in metrics ? metrics['val.accuracy'] : null, optimizer: null, lr });
  }
  return out;
}

/** The listing's order by train.lr: numbers in `dir`, then text in `dir`, runs without it last, ties newest id first. */
function byLr(rows: Row[], dir: 'asc' | 'desc'): string[] {
  const sign = dir === 'desc' ? -1 : 1;
  const rank = (r: Row) => (typeof r.lr === 'number' ? 0 : typeof r.lr === 'string' ? 1 : 2);
  const cmp = (a: Row, b: Row) => {
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    if (typeof a.lr === 'number' && typeof b.lr === 'number' && a.lr !== b.lr) return sign * (a.lr - b.lr);
    if (typeof a.lr === 'string' && typeof b.lr === 'string' && a.lr !== b.lr) return sign * (a.lr < b.lr ? -1 : 1);
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  };
  return [...rows].sort(cmp).map((r) => r.id);
}

/** The listing's order: value in `dir`, runs without the metric last, ties (and the runs without) newest id first. */
function sorted(rows: Row[], dir: 'asc' | 'desc'): string[] {
  const byId = (a: Row, b: Row) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return [...rows]
    .sort((a, b) => {
      if (a.acc === null || b.acc === null) return a.acc === b.acc ? byId(a, b) : a.acc === null ? 1 : -1;
      return (dir === 'desc' ? b.acc - a.acc : a.acc - b.acc) || byId(a, b);
    })
    .map((r) => r.id);
}

describe.each(DIALECTS)('%s store: prefix reads and their fallbacks', (dialect) => {
  it('pages sorted by a metric in either direction, with and without a filter, into the runs without the metric', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { batch: 128 });
    const all = [...seeded, ...(await extraRuns(store))];
    const ids = async (o: Parameters<typeof listRuns>[1]) => (await listRuns(store as Store, o)).runs.map((r) => r.id);

    expect(await ids({ sort: '-metrics.val.accuracy', limit: 10 })).toEqual(sorted(all, 'desc').slice(0, 10));
    expect(await ids({ sort: 'metrics.val.accuracy', limit: 10, offset: 3 })).toEqual(sorted(all, 'asc').slice(3, 13));
    const sgd = all.filter((r) => r.optimizer === 'sgd');
    const page = await listRuns(store, { filter: 'params.train.optimizer.name = "sgd"', sort: '-metrics.val.accuracy', limit: 10, offset: 20 });
    expect(page.total).toBe(sgd.length);
    expect(page.runs.map((r) => r.id)).toEqual(sorted(sgd, 'desc').slice(20, 30));
    // the last page reaches the three runs without val.accuracy: the index holds none of them, the general plan answers
    const tail = await listRuns(store, { sort: '-metrics.val.accuracy', limit: 10, offset: all.length - 6 });
    expect(tail.total).toBe(all.length);
    expect(tail.runs.map((r) => r.id)).toEqual(sorted(all, 'desc').slice(all.length - 6));
    expect((await listRuns(store, { sort: '-metrics.val.accuracy', limit: 10, offset: all.length })).runs).toEqual([]);

    // by a param: numbers read in index order (ties at 0.05 included), the text value and the runs without it at the end
    expect(await ids({ sort: 'params.train.lr', limit: 12, offset: 140 })).toEqual(byLr(all, 'asc').slice(140, 152));
    const good = all.filter((r) => r.acc !== null && r.acc > 0.5);
    expect(await ids({ filter: 'metrics.val.accuracy > 0.5', sort: '-params.train.lr', limit: 10, offset: 5 })).toEqual(byLr(good, 'desc').slice(5, 15));
    expect(await ids({ sort: '-params.train.lr', limit: 10, offset: all.length - 5 })).toEqual(byLr(all, 'desc').slice(all.length - 5));
    // a text param has no number to read in order: the general plan sorts it
    const adamFirst = all.filter((r) => r.optimizer === 'adam').sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(await ids({ sort: 'params.train.optimizer.name', limit: 4 })).toEqual(adamFirst.slice(0, 4).map((r) => r.id));
  });

  it('gives the page up when the prefix holds too few matching runs, and reads it when it holds enough', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { batch: 128 });
    const where = async (f: string) => compileFilter(store?.db as Store['db'], f, undefined, dialect);
    // the 20 best runs all have val.accuracy >= 0.9: none of the low ones is in the prefix
    const low = await orderedPage(store, { kind: 'metric', key: 'val.accuracy', direction: 'desc', where: await where('metrics.val.accuracy < 0.1'), joinExperiments: false, limit: 5, offset: 0, expected: 5, prefixRows: 20 });
    expect(low).toBeNull();
    const adam = seeded.filter((r) => r.optimizer === 'adam');
    const top = await orderedPage(store, { kind: 'metric', key: 'val.accuracy', direction: 'desc', where: await where('params.train.optimizer.name = "adam"'), joinExperiments: false, limit: 3, offset: 1, expected: 3, prefixRows: 20 });
    expect(top).toEqual(sorted(adam, 'desc').slice(1, 4));
    const inExp = await orderedPage(store, { kind: 'metric', key: 'val.accuracy', direction: 'asc', where: await where('experiment = exp3'), joinExperiments: true, limit: 2, offset: 0, expected: 2, prefixRows: 40 });
    expect(inExp).toEqual(sorted(seeded.filter((r) => r.experiment === 'exp3'), 'asc').slice(0, 2));
  });

  it('finds each experiment best value among the best summaries, or else from its own runs', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { batch: 128 });
    await extraRuns(store);
    const maxOf = (e: string) => Math.max(...seeded.filter((r) => r.experiment === e).map((r) => r.acc ?? -1));
    // a prefix of 20: 'poor' (0.0001) and most seeded experiments have no run among the 20 best and read their own
    for (const prefix of [20, 2000]) {
      const rows = await experimentsWithBest(store, undefined, prefix);
      expect(rows).toHaveLength(12);
      for (const e of rows.filter((r) => r.name.startsWith('exp'))) expect(e).toMatchObject({ metric: 'val.accuracy', goal: 'maximize', best: maxOf(e.name) });
      expect(rows.find((r) => r.name === 'poor')).toMatchObject({ metric: 'val.accuracy', best: 0.0001 });
      expect(rows.find((r) => r.name === 'extra')).toMatchObject({ metric: 'val.loss', goal: 'minimize', best: 0.5 });
    }
    // minimizing: the one best val.loss summary is poor's; extra's best comes from its own runs
    const loss = await experimentsWithBest(store, 'val.loss', 1);
    expect(loss.find((r) => r.name === 'extra')).toMatchObject({ goal: 'minimize', best: 0.5 });
    expect(loss.find((r) => r.name === 'poor')).toMatchObject({ best: 0.2 });
    expect(loss.find((r) => r.name === 'exp1')).toMatchObject({ metric: 'val.loss', best: null });
  });
});
