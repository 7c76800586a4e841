/**
 * The filtered set's statistics per query, for the default columns: paging through one query asks for the same set
 * again, and the GROUP BY over every param of 10,000 runs is the page's dearest query (a second or more on a busy
 * machine). Kept until the store changes, and past a change for up to 15 s (a live run commits every few seconds,
 * and a new point rarely changes which columns are the defaults); the runs page kept with such statistics ends when
 * they would have (data/cache.ts), so the default columns lag a change by 15 s at most, and the rows never.
 */
import { runSetStats, type RunSetQuery, type RunSetStats, type Store } from '../data/store.ts';
import { perStoreCache } from '../data/cache.ts';

const MAX_AGE_MS = 15_000;
const statsCache = perStoreCache<RunSetStats>({ maxEntries: 200 });

/** runSetStats for the query, from the per-store cache. */
export function cachedRunSetStats(store: Store, q: RunSetQuery): Promise<RunSetStats> {
  const key = JSON.stringify([q.filter ?? '', q.experiment ?? null, q.hideFolds ?? false]);
  return statsCache(store).get(key, () => runSetStats(store, q), { maxAgeMs: MAX_AGE_MS });
}
