/**
 * A small LRU of downsampled histories for runs that have ended: their points never change, so a
 * compare page reopened (or polled by many viewers) skips the store. Running runs are never cached.
 */
import { endedRuns, metricHistory, type History, type HistoryOptions, type Store } from '../data/store.ts';

export class HistoryCache {
  private readonly entries = new Map<string, History>();

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 1000,
  ) {}

  /** Histories for (run, key) pairs, from the cache where the run has ended. */
  async get(pairs: [run: string, key: string][], opts: HistoryOptions): Promise<History[]> {
    const ids = [...new Set(pairs.map(([run]) => run))];
    const ended = await endedRuns(this.store, ids);
    return Promise.all(
      pairs.map(async ([run, key]) => {
        const k = JSON.stringify([run, key, opts.points, opts.fromStep, opts.toStep]);
        const hit = this.entries.get(k);
        if (hit !== undefined) {
          this.entries.delete(k);
          this.entries.set(k, hit);
          return hit;
        }
        const h = await metricHistory(this.store, run, key, opts);
        if (ended.has(run)) this.remember(k, h);
        return h;
      }),
    );
  }

  private remember(k: string, h: History): void {
    this.entries.set(k, h);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
