import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore, resolveStoreUrl, type Store } from './open.ts';
import { experiments } from './schema.ts';
import { addTrials, claimTrial, createSweep, finishTrial, listTrials, requeueStaleTrials } from './sweeps.ts';
import { flattenParams } from './params.ts';
import { redactUrl } from './redact.ts';
import { compareSchema } from './schema-version.ts';
import { createTracker } from './tracker.ts';
import { getRun, listRuns } from './query.ts';
import { DIALECTS, freshPgUrl, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);
const tmp = () => mkdtempSync(join(tmpdir(), 'kiln-open-'));

describe('openStore', () => {
  it('resolves paths, file: URLs, env and remote URLs', () => {
    expect(resolveStoreUrl(undefined, '/w')).toBe('file:///w/.kiln/kiln.db');
    expect(resolveStoreUrl('x/y.db', '/w')).toBe('file:///w/x/y.db');
    expect(resolveStoreUrl('file:rel.db', '/w')).toBe('file:///w/rel.db');
    expect(resolveStoreUrl('libsql://db.example.com', '/w')).toBe('libsql://db.example.com');
    expect(resolveStoreUrl('postgres://u:pw@h:5432/db', '/w')).toBe('postgres://u:pw@h:5432/db');
    const before = process.env.KILN_STORE;
    process.env.KILN_STORE = '/abs/k.db';
    try {
      expect(resolveStoreUrl(undefined, '/w')).toBe('file:///abs/k.db');
    } finally {
      if (before === undefined) delete process.env.KILN_STORE;
      else process.env.KILN_STORE = before;
    }
  });

  it('creates .kiln/kiln.db under cwd with WAL, migrates once, artifacts beside it', async () => {
    const cwd = tmp();
    store = await openStore(undefined, { cwd });
    expect(store.url).toBe(`file://${cwd}/.kiln/kiln.db`);
    expect(store.artifactsDir).toBe(join(cwd, '.kiln', 'artifacts'));
    const mode = await store.db.$client.execute('PRAGMA journal_mode');
    expect(mode.rows[0]?.[0]).toBe('wal');
    store.close();
    store = await openStore(undefined, { cwd });
    const applied = await store.db.$client.execute('SELECT count(*) FROM __drizzle_migrations');
    expect(applied.rows[0]?.[0]).toBe(compareSchema(store.conn.migrationsDir, []).known); // every migration in drizzle/sqlite, once
  });

  it('a reader leaves a dead run as stored and reads it as crashed; a missing or in-memory store is created as a writer would', async () => {
    const path = join(tmp(), 'k.db');
    const writer = await openStore(path, { staleMs: 3_600_000 });
    const run = await createTracker(writer, { heartbeatMs: 60_000, flushIntervalMs: 60_000 }).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h' });
    await writer.conn.rows(sql`UPDATE runs SET heartbeat_at = 1 WHERE id = ${run.id}`);
    writer.close();
    store = await openStore(path, { mode: 'read', staleMs: 1000 });
    expect([store.readOnly, store.crashedOnOpen]).toEqual([true, 0]);
    expect((await getRun(store, run.id))?.status).toBe('crashed');
    expect(await store.conn.rows(sql`SELECT status FROM runs`)).toEqual([{ status: 'running' }]);
    await expect(store.conn.rows(sql`UPDATE runs SET status = 'finished'`)).rejects.toThrow(/readonly/i);
    store.close();
    for (const fresh of [join(tmp(), 'new', 'k.db'), ':memory:']) {
      store = await openStore(fresh, { mode: 'read' });
      expect((await listRuns(store)).total).toBe(0);
      store.close();
    }
  });

  it('keeps busy_timeout on the connection libsql opens after a transaction (@libsql/client#288)', async () => {
    store = await openStore(join(tmp(), 'k.db'), { busyTimeoutMs: 4321 });
    const s = store;
    await s.db.transaction(async (tx) => {
      await tx.insert(experiments).values({ name: 'a', createdAt: 1 });
    });
    const after = await s.db.$client.execute('PRAGMA busy_timeout');
    expect(after.rows[0]?.[0]).toBe(4321);
    const fk = await s.db.$client.execute('PRAGMA foreign_keys');
    expect(fk.rows[0]?.[0]).toBe(1);
  });
});

describe('PostgreSQL store', () => {
  it('applies its migrations once, in drizzle-kit\'s bookkeeping table, and redacts its URL for display', async () => {
    const url = await freshPgUrl();
    const withPassword = url.replace('postgres@', 'postgres:s3cret@');
    store = await openStore(withPassword);
    expect(store.dialect).toBe('pg');
    expect(store.displayUrl).not.toContain('s3cret');
    expect(store.displayUrl).toContain('postgres:***@');
    store.close();
    store = await openStore(url);
    const rows = await store.conn.rows(sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`);
    expect(rows[0]?.n).toBe(compareSchema(store.conn.migrationsDir, []).known); // every migration in drizzle/pg, once
  });

  it('hides passwords in URLs and query strings', () => {
    expect(redactUrl('postgres://me:p%40ss@db:5432/k')).toBe('postgres://me:***@db:5432/k');
    expect(redactUrl('postgresql://me@db/k?password=x&sslmode=require')).toBe('postgresql://me@db/k?password=***&sslmode=require');
    expect(redactUrl('libsql://db.example.com?authToken=abc')).toBe('libsql://db.example.com?authToken=***');
    expect(redactUrl('file:///w/.kiln/kiln.db')).toBe('file:///w/.kiln/kiln.db');
  });
});

describe.each(DIALECTS)('%s sweeps', (dialect) => {
  it('claims each queued trial exactly once and requeues stale ones', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const s = store;
    const id = await createSweep(s, { name: 'sw', experiment: 'e', spec: { x: 1 }, method: 'grid', metric: 'val.loss', goal: 'minimize' });
    await addTrials(s, id, [0, 1, 2].map((n) => ({ number: n, params: { lr: n } })));
    const claims = await Promise.all([1, 2, 3, 4].map((w) => claimTrial(s, id, `w${w}`)));
    const claimed = claims.filter((c) => c !== null);
    expect(claimed.map((c) => c?.number).sort()).toEqual([0, 1, 2]);
    expect(claims.filter((c) => c === null)).toHaveLength(1);
    await finishTrial(s, claimed[0]?.id ?? -1, { state: 'complete', value: 0.3 });
    expect(await requeueStaleTrials(s, id, 1000, Date.now() + 5000)).toBe(2);
    const trials = await listTrials(s, id);
    expect(trials.map((t) => t.state).sort()).toEqual(['complete', 'queued', 'queued']);
    expect(trials[0]?.params).toEqual({ lr: 0 });
  });
});

describe('flattenParams', () => {
  it('flattens nested objects and arrays into typed leaves', () => {
    expect(flattenParams({ train: { optimizer: { learningRate: 0.1 } }, model: { layers: [{ units: 4 }, { units: 2, act: null }] }, tags: [], x: {} })).toEqual({
      'train.optimizer.learningRate': 0.1,
      'model.layers[0].units': 4,
      'model.layers[1].units': 2,
      'model.layers[1].act': null,
      tags: [],
      x: {},
    });
  });
});
