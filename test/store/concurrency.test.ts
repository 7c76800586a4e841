import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../packages/core/src/store/index.ts';
import { DIALECTS, freshStoreUrl, scalar as count, stopTestCluster } from '../../packages/core/src/store/testing/stores.ts';
import { releaseTogether, spawnWorker, goFileFor } from './helpers.ts';

afterAll(stopTestCluster);

/** Migrations per dialect: the entries of drizzle-kit's journal (packages/core/drizzle/<dialect>/meta). */
const journal = (dialect: string) => (JSON.parse(readFileSync(new URL(`../../packages/core/drizzle/${dialect}/meta/_journal.json`, import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;
const APPLIED = { sqlite: journal('sqlite'), pg: journal('pg') };
const MIGRATIONS = { sqlite: 'SELECT count(*) FROM __drizzle_migrations', pg: 'SELECT count(*) FROM drizzle.__drizzle_migrations' };
/** SQLite has one writer at a time, so 8 writers show the busy handling; PostgreSQL takes 16. */
const WRITERS = { sqlite: 8, pg: 16 };

describe.each(DIALECTS)('several processes on one %s store', (dialect) => {
  it('migrates a new store exactly once when 6 processes open it at the same moment', async () => {
    const url = await freshStoreUrl(dialect);
    const go = goFileFor(url);
    const children = Array.from({ length: 6 }, () => spawnWorker(['open', url, go]));
    await releaseTogether(children, go);
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(children.map((c) => c.stderr()).join('')).toBe('');
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const store = await openStore(url);
    try {
      expect(await count(store, MIGRATIONS[dialect])).toBe(APPLIED[dialect]);
      expect(await store.conn.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it(`${WRITERS[dialect]} processes each logging 10,000 points at once: no errors, exact row count`, async () => {
    const url = await freshStoreUrl(dialect);
    const first = await openStore(url);
    first.close();
    const go = goFileFor(url);
    const n = WRITERS[dialect];
    const children = Array.from({ length: n }, () => spawnWorker(['log', url, go, '10000', '100']));
    await releaseTogether(children, go);
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(children.map((c) => c.stderr()).join('')).toBe('');
    expect(codes).toEqual(Array.from({ length: n }, () => 0));
    const store = await openStore(url);
    try {
      expect(await count(store, 'SELECT count(*) FROM metrics')).toBe(n * 10_000);
      expect(await count(store, "SELECT count(*) FROM runs WHERE status = 'finished'")).toBe(n);
      expect(await count(store, 'SELECT sum(count) FROM metric_summaries')).toBe(n * 10_000);
      expect(await count(store, "SELECT count(DISTINCT run_id || ':' || step) FROM metrics")).toBe(n * 10_000);
      expect(await store.conn.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  }, 240_000);
});
