/**
 * The filtered set's statistics, kept per query until the store changes (data/cache.ts): paging through one query
 * asks for the same set again, and the GROUP BY over every param of 10,000 runs is the page's dearest query. Kept by
 * the store's change marker rather than for a fixed time, so a new run's params show in the defaults at once.
 */
import { runSetStats, type RunSetQuery, type RunSetStats, type Store } from '../data/store.ts';
import { perStoreCache } from '../data/cache.ts';

const statsCache = perStoreCache<RunSetStats>({ maxEntries: 200 });

/** runSetStats for the query, from the per-store cache. */
export function cachedRunSetStats(store: Store, q: RunSetQuery): Promise<RunSetStats> {
  return statsCache(store).get(JSON.stringify([q.filter ?? '', q.experiment ?? null, q.hideFolds ?? false]), () => runSetStats(store, q));
}
