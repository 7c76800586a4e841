/**
 * Rendered answers kept until the store changes. An entry is keyed by the request's parsed state and stamped with
 * the store's change marker (core's change-marker.ts: one cheap query); a request whose marker differs recomputes,
 * so nothing served is older than the last commit before the request. Identical requests that arrive while an
 * answer is being computed wait for that one computation (single flight) instead of each running the queries.
 * The one change without a commit, a `running` run whose heartbeat goes stale and so reads as crashed, ends an
 * entry at core's staleDeadline. A get may accept a value younger than maxAgeMs from before the last change
 * (the runs page's run-set statistics: dear, and only choosing default columns); the answer built on it then ends
 * when that value would have, so nothing is kept staler than that bound.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { staleDeadline, storeChangeMarker, type Store } from './store.ts';

/** A response body as computed, with its status and a strong ETag over the body. */
export interface Rendered {
  body: string;
  status: number;
  etag: string;
}

interface Entry<T> {
  marker: string;
  /** The entry answers until this instant (ms since epoch); Infinity while nothing in the store is running. */
  expiresAt: number;
  value: Promise<T>;
  /** The value's size once computed (0 while in flight). */
  size: number;
  /** When its computation started (ms since epoch). */
  computedAt: number;
  settled: boolean;
}

/** What a get may accept besides a value computed since the store last changed. */
export interface GetOptions {
  /**
   * Also accept a value computed under an earlier marker if it is younger than this (ms). An answer being computed
   * around it (another cache's entry) then ends when this value would have: its staleness stays bounded.
   */
  maxAgeMs?: number;
}

/** The entry being computed in this async context, so values it reuses can bound its life. */
const computing = new AsyncLocalStorage<{ expiresAt: number }>();

/** Ends the entry being computed around this call (if any) at `at` at the latest. */
function bound(at: number): void {
  const outer = computing.getStore();
  if (outer !== undefined) outer.expiresAt = Math.min(outer.expiresAt, at);
}

export interface CacheOptions<T> {
  /** A computed value's size, counted against maxSize (default 1 each). */
  sizeOf?: (value: T) => number;
  /** Most entries kept (least recently used go first). */
  maxEntries?: number;
  /** Most total size kept over all entries. */
  maxSize?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** A strong ETag for a body: equal bodies, equal tags. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Whether an If-None-Match header names `etag` (a list of tags, weak ones compared weakly, or `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined || header === '') return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/** Values computed from the store, reused until the store's marker changes. */
export class StoreCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private total = 0;
  private readonly opts: Required<CacheOptions<T>>;

  constructor(
    private readonly store: Store,
    opts: CacheOptions<T> = {},
  ) {
    this.opts = { sizeOf: () => 1, maxEntries: 500, maxSize: Infinity, now: Date.now, ...opts };
  }

  /** How many values are kept (in flight included). */
  get size(): number {
    return this.entries.size;
  }

  /** The value for `key` as of now: a kept one when the store has not changed since it was computed, else `compute()`'s. */
  async get(key: string, compute: () => Promise<T>, opts: GetOptions = {}): Promise<T> {
    const marker = await storeChangeMarker(this.store);
    if (marker === null) return compute();
    const hit = this.entries.get(key);
    const now = this.opts.now();
    if (hit !== undefined && hit.marker === marker && now < hit.expiresAt) return this.reuse(key, hit, hit.expiresAt);
    const maxAge = opts.maxAgeMs ?? 0;
    if (hit !== undefined && hit.settled && now - hit.computedAt < maxAge) return this.reuse(key, hit, hit.computedAt + maxAge);
    if (hit !== undefined && !hit.settled) return this.after(hit, key, compute, opts);
    return this.fill(key, marker, compute);
  }

  /**
   * The store changed while `busy` computes the key for an earlier state: wait for it, then ask again (the marker is
   * read afresh, after this request arrived). The requests waiting so then share one computation, so a store that
   * changes every second costs one computation at a time per key, not one per change piling up. Each asks on its
   * own, in its own context, so what it reuses bounds its own answer.
   */
  private async after(busy: Entry<T>, key: string, compute: () => Promise<T>, opts: GetOptions): Promise<T> {
    await busy.value.then(
      () => undefined,
      () => undefined,
    );
    return this.get(key, compute, opts);
  }

  private reuse(key: string, hit: Entry<T>, until: number): Promise<T> {
    // least recently used goes first: a hit moves to the back
    this.entries.delete(key);
    this.entries.set(key, hit);
    bound(until);
    return hit.value;
  }

  private fill(key: string, marker: string, compute: () => Promise<T>): Promise<T> {
    this.drop(key);
    // The deadline is read before the value: a heartbeat in between changes the marker anyway.
    const value = staleDeadline(this.store).then(async (deadline) => {
      entry.expiresAt = deadline ?? Infinity;
      return computing.run(entry, compute);
    });
    const entry: Entry<T> = { marker, expiresAt: Infinity, value, size: 0, computedAt: this.opts.now(), settled: false };
    this.entries.set(key, entry);
    value.then(
      (v) => {
        entry.settled = true;
        if (this.entries.get(key) !== entry) return;
        // the key counts too: a query string can be as long as the answer
        entry.size = this.opts.sizeOf(v) + key.length;
        this.total += entry.size;
        this.evict();
      },
      // a failed computation is not kept: those waiting on it get its error, the next request tries again
      () => {
        entry.settled = true;
        this.drop(key, entry);
      },
    );
    return value;
  }

  private drop(key: string, only?: Entry<T>): void {
    const e = this.entries.get(key);
    if (e === undefined || (only !== undefined && e !== only)) return;
    this.entries.delete(key);
    this.total -= e.size;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.opts.maxEntries && this.total <= this.opts.maxSize) return;
      this.drop(key);
    }
  }
}

/** A body with its ETag. */
export function withEtag(r: { body: string; status: number }): Rendered {
  return { ...r, etag: etagOf(r.body) };
}

/** A getter of one cache per store (shared by every request on it), made with `opts` on first use. */
export function perStoreCache<T>(opts: CacheOptions<T> = {}): (store: Store) => StoreCache<T> {
  const caches = new WeakMap<Store, StoreCache<T>>();
  return (store) => {
    let cache = caches.get(store);
    if (cache === undefined) caches.set(store, (cache = new StoreCache<T>(store, opts)));
    return cache;
  };
}

/** The store's cache of rendered pages and API answers (32 M characters at most). */
export const responseCache = perStoreCache<Rendered>({ sizeOf: (r) => r.body.length, maxEntries: 500, maxSize: 32 * 1024 * 1024 });
