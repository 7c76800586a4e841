import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracker, listRuns, openStore, type Store } from '@kiln/core/store';
import { StoreCache, etagOf, matchesEtag } from './cache.ts';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));

async function stores(opts: { staleMs?: number } = {}): Promise<{ writer: Store; reader: Store }> {
  const path = join(mkdtempSync(join(tmpdir(), 'kiln-ui-cache-')), 'kiln.db');
  const writer = await openStore(path);
  const reader = await openStore(path, { mode: 'read', ...opts });
  opened.push(writer, reader);
  return { writer, reader };
}

/** A compute that counts its calls and answers with the count. */
function counter(): { calls: () => number; compute: () => Promise<number> } {
  let n = 0;
  return { calls: () => n, compute: async () => ++n };
}

const startRun = (store: Store, name: string, heartbeatMs = 60_000) => createTracker(store, { heartbeatMs, flushIntervalMs: 60_000 }).startRun({ experiment: 'e', name, config: {}, yaml: '', configHash: name });

describe('StoreCache', () => {
  it('answers from the cache while the store is unchanged, and computes again after a new run, a new metric point or an end', async () => {
    const { writer, reader } = await stores();
    const cache = new StoreCache<number>(reader);
    const c = counter();
    expect([await cache.get('k', c.compute), await cache.get('k', c.compute)]).toEqual([1, 1]);
    const run = await startRun(writer, 'r1');
    expect(await cache.get('k', c.compute)).toBe(2);
    expect(await cache.get('k', c.compute)).toBe(2);
    run.logMetrics([{ key: 'val.loss', step: 1, value: 0.5 }]);
    await run.flush();
    expect(await cache.get('k', c.compute)).toBe(3);
    await run.end('finished');
    expect(await cache.get('k', c.compute)).toBe(4);
    expect(await cache.get('k', c.compute)).toBe(4);
  });

  it("sees the writes of the store it reads through (the same connection's own changes)", async () => {
    const { writer } = await stores();
    const cache = new StoreCache<number>(writer);
    const c = counter();
    await cache.get('k', c.compute);
    const run = await startRun(writer, 'r1');
    await run.end('finished');
    expect(await cache.get('k', c.compute)).toBe(2);
  });

  it('keeps different keys apart', async () => {
    const { reader } = await stores();
    const cache = new StoreCache<string>(reader);
    const keys = ['a', 'b', JSON.stringify(['runs', { filter: 'x', sort: '' }]), JSON.stringify(['runs', { filter: 'x', sort: ' ' }]), '', '\u0000'];
    for (const k of keys) expect(await cache.get(k, async () => `v:${k}`)).toBe(`v:${k}`);
    for (const k of keys) expect(await cache.get(k, async () => 'recomputed')).toBe(`v:${k}`);
  });

  it('computes once for identical requests that arrive together (single flight)', async () => {
    const { reader } = await stores();
    const cache = new StoreCache<number>(reader);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => {
      calls++;
      await gate;
      return 42;
    };
    const waiting = Array.from({ length: 20 }, () => cache.get('k', slow));
    // let every request read the marker and join before the computation ends
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await Promise.all(waiting)).toEqual(Array(20).fill(42));
    expect(calls).toBe(1);
  });

  it('makes requests that arrive after a change during a computation wait for one follow-up computation, which sees the change', async () => {
    const { writer, reader } = await stores();
    const cache = new StoreCache<number>(reader);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const runCount = async () => {
      const first = calls++ === 0;
      const total = (await listRuns(reader)).total;
      if (first) await gate;
      return total;
    };
    const early = cache.get('k', runCount);
    await new Promise((r) => setTimeout(r, 20));
    await (await startRun(writer, 'during')).end('finished');
    const late = Array.from({ length: 5 }, () => cache.get('k', runCount));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    release();
    expect(await early).toBe(0);
    expect(await Promise.all(late)).toEqual([1, 1, 1, 1, 1]);
    expect(calls).toBe(2);
  });

  it('does not keep a failed computation: its waiters get the error, the next request computes again', async () => {
    const { reader } = await stores();
    const cache = new StoreCache<number>(reader);
    const failing = cache.get('k', async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it("ends an entry when a running run's heartbeat goes stale (it then reads as crashed with no write at all)", async () => {
    const { writer, reader } = await stores({ staleMs: 5_000 });
    const run = await startRun(writer, 'live');
    let now = Date.now();
    const cache = new StoreCache<number>(reader, { now: () => now });
    const c = counter();
    await cache.get('k', c.compute);
    now += 4_000;
    expect(await cache.get('k', c.compute)).toBe(1);
    now += 2_000;
    expect(await cache.get('k', c.compute)).toBe(2);
    await run.end('finished');
  });

  it('accepts a value from before the last change when younger than maxAgeMs, and ends the answer built on it when that value would have', async () => {
    const { writer, reader } = await stores();
    let now = 1_000_000;
    const clock = { now: () => now };
    const pages = new StoreCache<string>(reader, clock);
    const stats = new StoreCache<number>(reader, clock);
    const s = counter();
    let renders = 0;
    const page = () =>
      pages.get('p', async () => {
        renders++;
        return `page with stats ${await stats.get('s', s.compute, { maxAgeMs: 1_000 })}`;
      });
    expect(await page()).toBe('page with stats 1');
    await (await startRun(writer, 'r1')).end('finished');
    now += 100;
    // the store changed: the page is rendered again, on the statistics of 100 ms ago
    expect(await page()).toBe('page with stats 1');
    expect(renders).toBe(2);
    now += 500;
    expect(await page()).toBe('page with stats 1');
    expect(renders).toBe(2);
    // no further write, but the statistics it used are now too old: the page ends with them
    now += 500;
    expect(await page()).toBe('page with stats 2');
    expect([renders, s.calls()]).toEqual([3, 2]);
    // without maxAgeMs a change always recomputes
    await (await startRun(writer, 'r2')).end('finished');
    expect(await stats.get('s', s.compute)).toBe(3);
  });

  it('bounds every answer that waited out a computation for an earlier state and then reused its value', async () => {
    const { writer, reader } = await stores();
    let now = 1_000_000;
    const clock = { now: () => now };
    const pages = new StoreCache<string>(reader, clock);
    const stats = new StoreCache<number>(reader, clock);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      const n = ++calls;
      if (n === 1) await gate;
      return n;
    };
    const page = (key: string) => pages.get(key, async () => `${key} with stats ${await stats.get('s', compute, { maxAgeMs: 1_000 })}`);
    const first = page('p1');
    await new Promise((r) => setTimeout(r, 20));
    await (await startRun(writer, 'r1')).end('finished');
    // two other pages ask after the change, while the statistics are still being computed for the state before it
    const waiting = [page('p2'), page('p3')];
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect([await first, ...(await Promise.all(waiting))]).toEqual(['p1 with stats 1', 'p2 with stats 1', 'p3 with stats 1']);
    now += 1_100;
    // no write since, but both were built on statistics now too old: each is built again
    expect(await page('p2')).toBe('p2 with stats 2');
    expect(await page('p3')).toBe('p3 with stats 2');
  });

  it('drops the least recently used entries past its entry and size limits (keys counted in the size)', async () => {
    const { reader } = await stores();
    const settle = () => new Promise((r) => setTimeout(r, 0));
    const cache = new StoreCache<string>(reader, { maxEntries: 2, sizeOf: (v) => v.length, maxSize: 20 });
    await cache.get('a', async () => 'aa');
    await cache.get('b', async () => 'bb');
    await cache.get('a', async () => 'new');
    await cache.get('c', async () => 'cc');
    await settle();
    // a was used after b: b goes
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'recomputed')).toBe('aa');
    expect(await cache.get('b', async () => 'recomputed')).toBe('recomputed');
    await settle();
    // 16 characters under a 3-character key: with a (3) and b (11) over 20, both go
    await cache.get('big', async () => 'x'.repeat(16));
    await settle();
    expect(cache.size).toBe(1);
    expect(await cache.get('big', async () => 'again')).toBe('x'.repeat(16));
  });
});

describe('ETags', () => {
  it('are equal for equal bodies and differ otherwise', () => {
    expect(etagOf('x')).toBe(etagOf('x'));
    expect(etagOf('x')).not.toBe(etagOf('y'));
    expect(etagOf('x')).toMatch(/^"[\w-]+"$/);
  });

  it('match an If-None-Match list, weak forms and *, and nothing else', () => {
    const tag = etagOf('body');
    expect(matchesEtag(tag, tag)).toBe(true);
    expect(matchesEtag(`"other", W/${tag}`, tag)).toBe(true);
    expect(matchesEtag('*', tag)).toBe(true);
    expect(matchesEtag(undefined, tag)).toBe(false);
    expect(matchesEtag('', tag)).toBe(false);
    expect(matchesEtag(tag.slice(0, -2) + '"', tag)).toBe(false);
    expect(matchesEtag(`${tag}x`, tag)).toBe(false);
  });
});
