// Bounded and exact counts of a listing against answers computed here from the seeded values, on both dialects: the
// bound reached in the window of newest runs, a window holding every run, matches only outside the window (the exact
// count takes over), the experiment scope, listRuns' countBound (bounded within the bound, exact past it), and the
// newest-first page read from the newest runs.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { listRuns } from './query.ts';
import { boundedCount, countConditions, countRuns } from './run-count.ts';
import { newestPage } from './newest-runs.ts';
import { KilnFailure } from '../errors.ts';
import { seededValues, seedRunsBulk } from './testing/seed-bulk.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

const N = 300;
const seeded = seededValues(N);
const FILTER = 'metrics.val.accuracy > 0.5 and (params.train.optimizer.name = "adam" or params.train.lr < 0.01) and status = finished';
const matching = seeded.filter((r) => r.acc > 0.5 && (r.optimizer === 'adam' || r.lr < 0.01) && r.finished);
// the newest runs are the last seeded (started one second apart)
const newest = (n: number) => seeded.slice(N - n);

describe.each(DIALECTS)('%s store: counting a listing', (dialect) => {
  it('stops at the bound in the newest runs, counts exactly when the window holds every run or too few matches', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { sweepTrials: 40, batch: 128 });
    expect(matching.length).toBeGreaterThan(30);

    // 100 newest runs hold more than 10 matches: the count stops there
    expect(newest(100).filter((r) => matching.includes(r)).length).toBeGreaterThan(10);
    expect(await boundedCount(store, { filter: FILTER }, 10, 100)).toEqual({ total: 10, exact: false });
    // a window holding every run answers exactly from it
    expect(await boundedCount(store, { filter: FILTER }, 1000, N)).toEqual({ total: matching.length, exact: true });
    // the matches are the oldest runs (the sweep's first trials), outside a window of 50: the exact count answers
    expect(await boundedCount(store, { filter: 'trial < 12' }, 10, 50)).toEqual({ total: 12, exact: true });
    // the window is the scope's newest runs: exp3's 26 runs, every one in a window of 30
    const exp3 = seeded.filter((r) => r.experiment === 'exp3');
    expect(await boundedCount(store, { experiment: 'exp3', filter: 'status = finished' }, 1000, 30)).toEqual({ total: exp3.filter((r) => r.finished).length, exact: true });
    expect(await boundedCount(store, { experiment: 'exp3' }, 5, 10)).toEqual({ total: 5, exact: false });
    // a filter naming the experiment joins it inside the window too
    expect(await boundedCount(store, { filter: 'experiment = "exp0" and status = failed' }, 1000, 100)).toEqual({ total: seeded.filter((r) => r.experiment === 'exp0' && !r.finished).length, exact: true });

    expect(await countRuns(store, { filter: FILTER })).toBe(matching.length);
    expect(await countRuns(store, {})).toBe(N);
    expect(await countRuns(store, { experiment: 'exp0', filter: 'params.train.optimizer.name = "sgd"' })).toBe(seeded.filter((r) => r.experiment === 'exp0' && r.optimizer === 'sgd').length);
    // an unknown key fails as the listing does, with a did-you-mean
    const err = await countRuns(store, { filter: 'metrics.val.acuracy > 0.5' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnFailure);
    expect(err instanceof KilnFailure ? err.errors[0]?.hint : '').toContain('metrics.val.accuracy');
  });

  it('listRuns with countBound: a bounded total within the bound, the same page as the exact listing, exact past it', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { batch: 128 });
    const sort = '-metrics.val.accuracy';
    const exact = await listRuns(store, { filter: FILTER, sort, limit: 10, offset: 10 });
    expect(exact).toMatchObject({ total: matching.length, exact: true });

    const bounded = await listRuns(store, { filter: FILTER, sort, limit: 10, offset: 10, countBound: 25 });
    expect(bounded).toMatchObject({ total: 25, exact: false });
    expect(bounded.runs.map((r) => r.id)).toEqual(exact.runs.map((r) => r.id));
    // a page reaching past the bound needs the exact total (the last page's size, and whether there is one)
    const deep = await listRuns(store, { filter: FILTER, sort, limit: 10, offset: 20, countBound: 25 });
    expect(deep).toMatchObject({ total: matching.length, exact: true });
    // a bound above the matches: the exact number
    expect(await listRuns(store, { filter: FILTER, sort, limit: 10, countBound: 1000 })).toMatchObject({ total: matching.length, exact: true });
    // sorted by another run column than the start the count rides on the page query, exact at no extra cost
    expect(await listRuns(store, { filter: FILTER, sort: 'runName', limit: 5, countBound: 25 })).toMatchObject({ total: matching.length, exact: true });
  });

  it('reads a newest-first page with a filter from the newest runs, and gives it up when they hold too few matches', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    await seedRunsBulk(store, N, { batch: 128 });
    const newestMatches = [...matching].reverse().map((r) => r.id);
    const bounded = await listRuns(store, { filter: FILTER, limit: 10, offset: 10, countBound: 25, hideFolds: true });
    expect(bounded).toMatchObject({ total: 25, exact: false });
    expect(bounded.runs.map((r) => r.id)).toEqual(newestMatches.slice(10, 20));
    expect((await listRuns(store, { filter: FILTER, limit: 10, offset: 10, hideFolds: true })).runs.map((r) => r.id)).toEqual(newestMatches.slice(10, 20));

    const q = { filter: FILTER, hideFolds: true };
    const cond = await countConditions(store, q, true);
    const inWindow = newest(60).filter((r) => matching.includes(r)).length;
    // a window of the 60 newest runs holds `inWindow` matches: a page reaching past them comes back short
    expect(await newestPage(store, q, cond, 5, 0, 60)).toEqual({ ids: newestMatches.slice(0, 5), everyRun: false });
    expect(await newestPage(store, q, cond, 10, inWindow - 4, 60)).toEqual({ ids: newestMatches.slice(inWindow - 4, inWindow), everyRun: false });
    // a window larger than the scope holds every run: a short page is short for the whole listing
    expect(await newestPage(store, q, cond, 10, matching.length - 4, 10_000)).toEqual({ ids: newestMatches.slice(-4), everyRun: true });
  });
});
