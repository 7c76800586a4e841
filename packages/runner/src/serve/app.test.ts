import { beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials } from '@kiln/core/credentials';
import { useWasm } from '../train/test-support.ts';
import { createServeApp } from './app.ts';
import { createBatcher } from './batcher.ts';
import { sampleRows, sampleSlot } from './test-support.ts';

beforeAll(useWasm);

const TOKEN = 'a-serve-token-0123456789';

function app(opts: { token?: boolean; maxBodyBytes?: number } = {}) {
  const lines: string[] = [];
  const slot = sampleSlot();
  const credentials = opts.token ? loadCredentials({ envNames: ['T'], fileOption: '--token-file', env: { T: TOKEN } }) : undefined;
  const reload = { everySeconds: 5, lastCheckedAt: null, error: null, reloads: 0 };
  const served = createServeApp({ current: () => slot, batcher: createBatcher(256, 1), reload, credentials, allowedHosts: [], maxBodyBytes: opts.maxBodyBytes ?? 1 << 20, startedAt: 'now', log: (l) => lines.push(l) });
  const call = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
    const r = await served.request(path, { ...init, headers: { host: '127.0.0.1:4100', ...init.headers } });
    return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
  };
  const post = (body: unknown, headers: Record<string, string> = {}) => call('/predict', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { call, post, lines, slot, served };
}

describe('kiln serve routes', () => {
  it('POST /predict answers kiln predict\'s objects and names the model; /health counts requests, rows and model calls', async () => {
    const { post, call, served } = app();
    const r = await post({ rows: sampleRows(3) });
    expect(r.status).toBe(200);
    expect(r.body.model).toEqual({ ref: 'sample@production', runId: 'run1', name: 'sample', version: 1, alias: 'production' });
    expect((r.body.predictions as { row: number; class: string }[]).map((p) => [p.row, typeof p.class])).toEqual([[0, 'string'], [1, 'string'], [2, 'string']]);
    const health = await call('/health');
    expect(health.body).toMatchObject({ status: 'ok', model: { runId: 'run1', version: 1, loadedAt: '2026-01-01T00:00:00.000Z' }, stats: { requests: 1, rows: 3, modelCalls: 1 } });
    expect((await call('/schema')).body).toMatchObject({ definitions: { row: { required: ['a'] } } });
    const head = await served.request('/health', { method: 'HEAD', headers: { host: 'localhost:4100' } });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('400 with per-row errors: from the schema, and from the preprocessing (a date it cannot read)', async () => {
    const { post } = app();
    const schema = await post({ rows: [{ a: 'x' }, { a: 1 }] });
    expect(schema.status).toBe(400);
    expect(schema.body.error).toMatchObject({ status: 400, errors: [{ row: 0, field: 'a' }] });
    const pre = await post({ rows: [{ a: 1, d: '2024-01-01' }, { a: 2, d: 'yesterday' }] });
    expect(pre.status).toBe(400);
    expect(pre.body.error).toMatchObject({ message: '1 of 2 row(s) cannot be read by the model\'s preprocessing', errors: [{ row: 1, field: 'd', message: expect.stringContaining('row 1 has "yesterday" in date column "d"') }] });
    expect((await post('nope')).status).toBe(400);
  });

  it('405 with Allow on a wrong method, 404 JSON on an unknown route, 413 over the body limit, 421 on a foreign Host', async () => {
    const { call, post } = app({ maxBodyBytes: 200 });
    const wrong = await call('/predict');
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
    const put = await call('/health', { method: 'PUT' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const missing = await call('/models');
    expect([missing.status, missing.body]).toEqual([404, { error: { status: 404, message: 'no route /models: kiln serve answers POST /predict, GET /health and GET /schema' } }]);
    expect((await post({ rows: sampleRows(20) })).status).toBe(413);
    expect((await call('/health', { headers: { host: 'evil.example' } })).status).toBe(421);
    expect(wrong.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('with a token: 401 on every route without it or with a wrong one, served with it', async () => {
    const { call, post } = app({ token: true });
    const denied: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${Buffer.from(`u:${TOKEN}x`).toString('base64')}` }];
    for (const headers of denied) {
      for (const path of ['/health', '/schema', '/nope']) expect((await call(path, { headers })).status, path).toBe(401);
      const refused = await post({ rows: sampleRows(1) }, headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await call('/health', { headers: auth })).status).toBe(200);
    expect((await post({ rows: sampleRows(1) }, auth)).status).toBe(200);
  });

  it('logs one line per request: method, path, status, row count, time; never the rows or the token', async () => {
    const { post, call, lines } = app({ token: true });
    await post({ rows: [{ a: 1.25, c: 'secret-value', d: '2024-01-01' }] }, { authorization: `Bearer ${TOKEN}` });
    await call('/health?x=1', { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z POST \/predict 200 1 row\(s\) [\d.]+ ms$/);
    expect(lines[1]).toMatch(/^\S+Z GET \/health 401 [\d.]+ ms$/);
    for (const l of lines) for (const secret of ['secret-value', '1.25', TOKEN, 'nope-nope']) expect(l).not.toContain(secret);
  });
});
