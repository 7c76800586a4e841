/**
 * The filtered set's statistics, kept a few seconds per query: paging through one query (or the runs table's 3 s
 * poll) asks for the same set again, and the GROUP BY over every param of 10,000 runs is the page's dearest query.
 */
import { runSetStats, type RunSetQuery, type RunSetStats, type Store } from '../data/store.ts';

const TTL_MS = 15_000;
const MAX_ENTRIES = 200;

interface Entry {
  at: number;
  stats: Promise<RunSetStats>;
}

const caches = new WeakMap<Store, Map<string, Entry>>();

/** runSetStats for the query, from a short-lived per-store cache. */
export function cachedRunSetStats(store: Store, q: RunSetQuery, now = Date.now()): Promise<RunSetStats> {
  let cache = caches.get(store);
  if (cache === undefined) caches.set(store, (cache = new Map()));
  const key = JSON.stringify([q.filter ?? '', q.experiment ?? null, q.hideFolds ?? false]);
  const hit = cache.get(key);
  if (hit !== undefined && now - hit.at < TTL_MS) return hit.stats;
  const stats = runSetStats(store, q);
  // A failed read is not remembered: the next request tries again.
  stats.catch(() => cache.delete(key));
  cache.delete(key);
  cache.set(key, { at: now, stats });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return stats;
}
