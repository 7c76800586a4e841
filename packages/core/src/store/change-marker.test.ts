import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { runs } from './schema.ts';
import { connect } from './dialect-sqlite.ts';
import { staleDeadline, storeChangeMarker } from './change-marker.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));
afterAll(stopTestCluster);

async function open(url: string, mode: 'read' | 'write' = 'write'): Promise<Store> {
  const s = await openStore(url, { mode });
  opened.push(s);
  return s;
}

describe.each(DIALECTS)('change marker (%s)', (dialect) => {
  it('changes when a run starts, logs a point, is tagged and ends, as seen by a reader on its own connection', async () => {
    const url = await freshStoreUrl(dialect);
    const writer = await open(url);
    const reader = await open(url, 'read');
    const seen = [await storeChangeMarker(reader)];
    const run = await createTracker(writer, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'r', config: {}, yaml: '', configHash: 'h' });
    seen.push(await storeChangeMarker(reader));
    run.logMetrics([{ key: 'val.loss', step: 1, value: 0.5 }]);
    await run.flush();
    seen.push(await storeChangeMarker(reader));
    await run.setTag('t', 'x');
    seen.push(await storeChangeMarker(reader));
    await run.end('finished');
    seen.push(await storeChangeMarker(reader));
    expect(seen.every((m) => typeof m === 'string')).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("changes on the writer's own connection too", async () => {
    const store = await open(await freshStoreUrl(dialect));
    const before = await storeChangeMarker(store);
    const run = await createTracker(store, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'r', config: {}, yaml: '', configHash: 'h' });
    const started = await storeChangeMarker(store);
    await run.end('finished');
    const ended = await storeChangeMarker(store);
    expect(new Set([before, started, ended]).size).toBe(3);
  });
});

describe('change marker (sqlite)', () => {
  it('stays the same while nothing is written, whatever is read', async () => {
    const url = await freshStoreUrl('sqlite');
    const writer = await open(url);
    const run = await createTracker(writer, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'r', config: {}, yaml: '', configHash: 'h' });
    await run.end('finished');
    const reader = await open(url, 'read');
    const first = await storeChangeMarker(reader);
    expect(await reader.conn.rows(reader.db.select().from(runs))).toHaveLength(1);
    expect(await storeChangeMarker(reader)).toBe(first);
    expect(await storeChangeMarker(writer)).toBe(await storeChangeMarker(writer));
  });

  it('changes after a transaction took the client connection and the fresh one wrote as much as the old one had', async () => {
    // libsql hands its connection to a transaction and reads on a fresh one whose counters start again: without
    // counting the handovers, one write on each connection would read as the same marker
    const store = await open(await freshStoreUrl('sqlite'));
    const client = store.db.$client;
    await client.execute("INSERT INTO experiments (name, created_at) VALUES ('a', 1)");
    const before = await storeChangeMarker(store);
    const written = Number((await client.execute('SELECT total_changes()')).rows[0]?.[0]);
    const tx = await client.transaction('read');
    await tx.commit();
    await client.execute(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${written}) INSERT INTO experiments (name, created_at) SELECT 'b' || i, 1 FROM k`);
    expect(Number((await client.execute('SELECT total_changes()')).rows[0]?.[0])).toBe(written);
    expect(await storeChangeMarker(store)).not.toBe(before);
  });

  it('is null for a remote libsql store, which cannot tell cheaply', async () => {
    // a libsql URL the client accepts without connecting; the marker is decided before any request
    const conn = await connect('libsql://127.0.0.1:9', { busyTimeoutMs: 100 });
    try {
      expect(await conn.changeMarker()).toBeNull();
    } finally {
      conn.close();
    }
  });
});

describe.each(DIALECTS)('staleDeadline (%s)', (dialect) => {
  it('is null with nothing running, and the oldest running heartbeat plus the stale threshold otherwise', async () => {
    const store = await open(await freshStoreUrl(dialect));
    expect(await staleDeadline(store)).toBeNull();
    const before = Date.now();
    const run = await createTracker(store, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'r', config: {}, yaml: '', configHash: 'h' });
    const deadline = await staleDeadline(store);
    expect(deadline).not.toBeNull();
    expect(deadline ?? 0).toBeGreaterThanOrEqual(before + store.staleMs);
    expect(deadline ?? 0).toBeLessThanOrEqual(Date.now() + store.staleMs);
    // a run already past the threshold reads as crashed now and changes no more: it sets no deadline
    expect(await staleDeadline(store, Date.now() + store.staleMs + 1000)).toBeNull();
    await run.end('finished');
    expect(await staleDeadline(store)).toBeNull();
  });
});
