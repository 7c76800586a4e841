import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../packages/core/src/store/index.ts';
import { releaseTogether, spawnWorker } from './helpers.ts';

const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'kiln-mp-')), 'kiln.db');

describe('several processes on one store', () => {
  it('migrates a new store exactly once when 6 processes open it at the same moment', async () => {
    const db = tmpDb();
    const go = `${db}.go`;
    const children = Array.from({ length: 6 }, () => spawnWorker(['open', db, go]));
    await releaseTogether(children, go);
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(children.map((c) => c.stderr()).join('')).toBe('');
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const store = await openStore(db);
    try {
      const n = await store.db.$client.execute('SELECT count(*) FROM __drizzle_migrations');
      expect(n.rows[0]?.[0]).toBe(1);
      expect(await store.conn.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('8 processes each logging 10,000 points at once: no errors, exactly 80,000 rows', async () => {
    const db = tmpDb();
    const first = await openStore(db);
    first.close();
    const go = `${db}.go`;
    const children = Array.from({ length: 8 }, () => spawnWorker(['log', db, go, '10000', '100']));
    await releaseTogether(children, go);
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(children.map((c) => c.stderr()).join('')).toBe('');
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const store = await openStore(db);
    try {
      const rows = await store.db.$client.execute('SELECT count(*) FROM metrics');
      expect(rows.rows[0]?.[0]).toBe(80_000);
      const runs = await store.db.$client.execute("SELECT count(*) FROM runs WHERE status = 'finished'");
      expect(runs.rows[0]?.[0]).toBe(8);
      const sums = await store.db.$client.execute('SELECT sum(count) FROM metric_summaries');
      expect(sums.rows[0]?.[0]).toBe(80_000);
      expect(await store.conn.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });
});
