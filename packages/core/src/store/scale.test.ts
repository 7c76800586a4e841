// The store's fast paths (IN-list filters over covering indexes, the window count, per-experiment probes) against
// answers computed here from the seeded values, on both dialects; and the plan SQLite picks for a metric filter.
import type { InArgs } from '@libsql/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { listExperiments, listRuns } from './query.ts';
import { compileFilter } from './filter-sql.ts';
import { runs } from './schema.ts';
import { experimentsWithBest } from './experiment-best.ts';
import { listTrials } from './sweeps.ts';
import { seededValues, seedRunsBulk } from './testing/seed-bulk.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

const N = 300;
const seeded = seededValues(N);

describe.each(DIALECTS)('%s store at scale: seeded runs', (dialect) => {
  it('filters, sorts, counts and summarizes experiments as the seeded values say', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const sweepId = await seedRunsBulk(store, N, { sweepTrials: 40, batch: 128 });

    const match = seeded.filter((r) => r.acc > 0.5 && (r.optimizer === 'adam' || r.lr < 0.01) && r.finished);
    const expected = [...match].sort((a, b) => b.acc - a.acc || (a.id < b.id ? 1 : -1)).slice(5, 15).map((r) => r.id);
    const page = await listRuns(store, { filter: 'metrics.val.accuracy > 0.5 and (params.train.optimizer.name = "adam" or params.train.lr < 0.01) and status = finished', sort: '-metrics.val.accuracy', limit: 10, offset: 5 });
    expect(page.total).toBe(match.length);
    expect(page.runs.map((r) => r.id)).toEqual(expected);

    // a negated keyed condition; a page past the end carries no window count, so the total comes from count(*)
    const notAdam = await listRuns(store, { filter: 'not params.train.optimizer.name = "adam"', limit: 5, offset: N });
    expect(notAdam).toEqual({ total: seeded.filter((r) => r.optimizer !== 'adam').length, exact: true, runs: [] });
    expect((await listRuns(store, { limit: 3 })).total).toBe(N);
    // statuses a stale heartbeat cannot change compare the stored column
    expect((await listRuns(store, { filter: 'status != failed', limit: 1 })).total).toBe(seeded.filter((r) => r.finished).length);
    expect((await listRuns(store, { filter: 'status in (failed, killed)', limit: 1 })).total).toBe(seeded.filter((r) => !r.finished).length);

    const byExp = new Map<string, number[]>();
    for (const r of seeded) byExp.set(r.experiment, [...(byExp.get(r.experiment) ?? []), r.acc]);
    const exps = await experimentsWithBest(store);
    expect(exps).toHaveLength(10);
    for (const e of exps) expect(e).toMatchObject({ metric: 'val.accuracy', goal: 'maximize', runCount: byExp.get(e.name)?.length, best: Math.max(...(byExp.get(e.name) ?? [])) });
    // newest activity first: exp9 holds the last run (299)
    expect((await listExperiments(store))[0]?.name).toBe('exp9');
    const m3 = seeded.flatMap((r, i) => (r.experiment === 'exp1' ? [((i * 31 + 3) % 1000) / 1000] : []));
    expect((await experimentsWithBest(store, 'm3')).find((e) => e.name === 'exp1')).toMatchObject({ metric: 'm3', best: Math.max(...m3) });

    const trials = await listTrials(store, sweepId);
    expect(trials.map((t) => t.runId)).toEqual(seeded.slice(0, 40).map((r) => r.id));
  });
});

describe('sqlite store at scale: plans', () => {
  it('reads a metric filter as one range of the (key, coalesce(final, last), run_id) index, not a probe per run', async () => {
    store = await openStore(await freshStoreUrl('sqlite'));
    await seedRunsBulk(store, 50);
    const filtered = store.db.select({ id: runs.id }).from(runs).where(await compileFilter(store.db, 'metrics.val.accuracy > 0.5')).toSQL();
    const plan = await store.db.$client.execute({ sql: `EXPLAIN QUERY PLAN ${filtered.sql}`, args: filtered.params as InArgs });
    expect(plan.rows.map((r) => String(r.detail)).join(' | ')).toMatch(/SEARCH metric_summaries USING (COVERING )?INDEX metric_summaries_key_value_idx \(key=\? AND <expr>>\?\)/);
  });
});
