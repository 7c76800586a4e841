/** /runs and /api/runs through the response cache: fresh after every write, ETag/304, one key per parsed state. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracker, openStore, type RunHandle, type Store } from '@kiln/core/store';
import { freshPgUrl, stopTestCluster } from '@kiln/core/testing';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';

let writer: Store;
let reader: Store;
let app: ReturnType<typeof createApp>;
let live: RunHandle;

interface ApiRuns {
  total: number;
  runs: { name: string; status: string; metrics: Record<string, { last: number | null }>; tags: Record<string, string> }[];
}

beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'kiln-ui-cached-')), 'kiln.db');
  writer = await openStore(path);
  // the UI's own read-only connection, as kiln ui opens it: writes reach it from another connection
  reader = await openStore(path, { mode: 'read', staleMs: 60_000 });
  app = createApp({ store: reader });
  const tracker = createTracker(writer, { heartbeatMs: 60_000, flushIntervalMs: 60_000 });
  for (const name of ['alpha', 'beta', 'quote"d', 'uni-λ']) {
    const run = await tracker.startRun({ experiment: 'e', name, config: {}, yaml: '', configHash: name });
    await run.logParams({ 'train.lr': name.length / 100 });
    run.logMetrics([{ key: 'val.loss', step: 1, value: name.length }]);
    await run.end('finished');
  }
  live = await tracker.startRun({ experiment: 'e', name: 'live', config: {}, yaml: '', configHash: 'live' });
});
afterAll(async () => {
  await live.end('finished');
  writer.close();
  reader.close();
});

const api = async (path: string) => {
  const r = await get(app, path);
  return { ...r, json: JSON.parse(r.text) as ApiRuns };
};

describe('cached runs listing', () => {
  it('shows a new metric point of a live run on the next poll (the runs table polls /api/runs every 3 s)', async () => {
    const poll = `/api/runs?filter=${encodeURIComponent('name = "live"')}`;
    const before = await api(poll);
    expect(before.json.runs[0]?.metrics['val.loss']).toBeUndefined();
    live.logMetrics([{ key: 'val.loss', step: 1, value: 0.25 }]);
    await live.flush();
    expect((await api(poll)).json.runs[0]?.metrics['val.loss']?.last).toBe(0.25);
    live.logMetrics([{ key: 'val.loss', step: 2, value: 0.125 }]);
    await live.flush();
    expect((await api(poll)).json.runs[0]?.metrics['val.loss']?.last).toBe(0.125);
  });

  it('shows a new run and a new tag on the page at once', async () => {
    expect((await get(app, '/runs')).text).not.toContain('newcomer');
    const run = await createTracker(writer, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'newcomer', config: {}, yaml: '', configHash: 'n' });
    expect((await get(app, '/runs')).text).toContain('newcomer');
    await run.setTag('stage', 'tagged-now');
    expect((await api('/api/runs?filter=' + encodeURIComponent('name = "newcomer"'))).json.runs[0]?.tags.stage).toBe('tagged-now');
    await run.end('finished');
    expect((await api('/api/runs?filter=' + encodeURIComponent('name = "newcomer"'))).json.runs[0]?.status).toBe('finished');
  });

  it('answers a held ETag with 304 and no body until the store changes, then with the new answer', async () => {
    const first = await get(app, '/api/runs');
    const tag = first.headers.get('etag') ?? '';
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const again = await get(app, '/api/runs', { headers: { 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(tag);
    // security headers on the 304 too
    expect(again.headers.get('content-security-policy')).toContain("default-src 'none'");
    await live.setTag('poll', '1');
    const changed = await get(app, '/api/runs', { headers: { 'if-none-match': tag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
    const page = await get(app, '/runs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await get(app, '/runs', { headers: { 'if-none-match': page.headers.get('etag') ?? '' } })).status).toBe(304);
  });

  it('answers each query for itself, hostile and near-identical query strings included, as an uncached app would', async () => {
    const queries = [
      '/api/runs',
      '/api/runs?limit=1',
      '/api/runs?limit=1&page=2',
      '/api/runs?sort=name',
      '/api/runs?sort=-name',
      `/api/runs?filter=${encodeURIComponent('name = "quote\\"d"')}`,
      `/api/runs?filter=${encodeURIComponent('name = "uni-λ"')}`,
      `/api/runs?filter=${encodeURIComponent('name = "alpha"')}&sort=${encodeURIComponent('","filter":"')}`,
      `/api/runs?filter=${encodeURIComponent('","sort":"name')}`,
      `/api/runs?filter=${encodeURIComponent('params.train.lr > 0.045')}`,
      '/api/runs?filter=%00',
      '/api/runs?experiment=e&filter=',
      '/api/runs?experiment=%22e%22',
    ];
    const fresh = async (q: string) => (await get(createApp({ store: reader }), q)).text;
    const expected = await Promise.all(queries.map(fresh));
    // asked twice, interleaved, all at once: every answer is its own query's
    const answers = await Promise.all([...queries, ...queries].map(async (q) => (await get(app, q)).text));
    expect(answers).toEqual([...expected, ...expected]);
    expect(new Set(expected.slice(0, 7)).size).toBe(7);
  });

  it('keeps a bad query a located 400, and a later good one unaffected', async () => {
    const bad = await get(app, `/api/runs?filter=${encodeURIComponent('metrics.val.loss >')}`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('etag')).toBeNull();
    expect((await get(app, `/api/runs?filter=${encodeURIComponent('metrics.val.loss >')}`)).status).toBe(400);
    expect((await get(app, `/api/runs?filter=${encodeURIComponent('metrics.val.loss > 0')}`)).status).toBe(200);
    expect((await get(app, `/runs?sort=nope`)).status).toBe(400);
  });
});

describe('a live run going stale', () => {
  it('reads as crashed once its heartbeat is older than the threshold, with no write to change the store', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiln-ui-stale-')), 'kiln.db');
    const w = await openStore(path);
    const r = await openStore(path, { mode: 'read', staleMs: 400 });
    try {
      const run = await createTracker(w, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'quiet', config: {}, yaml: '', configHash: 'q' });
      const staleApp = createApp({ store: r });
      const status = async () => (JSON.parse((await get(staleApp, '/api/runs')).text) as ApiRuns).runs[0]?.status;
      expect(await status()).toBe('running');
      await new Promise((done) => setTimeout(done, 600));
      expect(await status()).toBe('crashed');
      await run.end('finished');
    } finally {
      w.close();
      r.close();
    }
  });
});

describe('on PostgreSQL', () => {
  afterAll(stopTestCluster);

  it('shows a write from another connection on the next request (the marker is the current snapshot)', async () => {
    const url = await freshPgUrl();
    const w = await openStore(url);
    const r = await openStore(url, { mode: 'read' });
    try {
      const pgApp = createApp({ store: r });
      const names = async () => (JSON.parse((await get(pgApp, '/api/runs')).text) as ApiRuns).runs.map((run) => run.name);
      expect(await names()).toEqual([]);
      const run = await createTracker(w, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', name: 'on-pg', config: {}, yaml: '', configHash: 'p' });
      expect(await names()).toHaveLength(1);
      run.logMetrics([{ key: 'val.loss', step: 1, value: 0.75 }]);
      await run.flush();
      const last = async () => (JSON.parse((await get(pgApp, '/api/runs')).text) as ApiRuns).runs[0]?.metrics['val.loss']?.last;
      expect(await last()).toBe(0.75);
      await run.end('finished');
      expect((JSON.parse((await get(pgApp, '/api/runs')).text) as ApiRuns).runs[0]?.status).toBe('finished');
    } finally {
      w.close();
      r.close();
    }
  });
});
