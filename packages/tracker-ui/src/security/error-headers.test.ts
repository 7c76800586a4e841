import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hostileFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

function expectSecurityHeaders(h: Headers, what: string): void {
  expect(h.get('content-security-policy'), what).toContain("script-src 'self'");
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('referrer-policy'), what).toBe('no-referrer');
}

describe('error responses', () => {
  it('carry the security headers: 421, 405, 404, 400 and the JSON errors', async () => {
    const cases: [string, RequestInit, number][] = [
      ['/runs', { headers: { host: 'evil.example' } }, 421],
      ['/api/runs', { method: 'POST' }, 405],
      ['/nope', {}, 404],
      ['/runs/nope', {}, 404],
      ['/api/runs/nope/history?key=val.loss', {}, 404],
      [`/runs?filter=${encodeURIComponent('metrics.val.loss >')}`, {}, 400],
      ['/api/runs?sort=metrics.nope', {}, 400],
      ['/runs?limit=abc', {}, 400],
    ];
    for (const [path, init, status] of cases) {
      const r = await get(f.app, path, init);
      expect(r.status, path).toBe(status);
      expectSecurityHeaders(r.headers, path);
    }
  });
});

describe('history and artifacts of runs that do not exist', () => {
  it('/api/runs/<unknown>/history and a batch naming one are a 404 JSON error, not empty arrays', async () => {
    const one = await get(f.app, '/api/runs/nope/history?key=val.loss');
    expect(one.status).toBe(404);
    expect(JSON.parse(one.text)).toEqual({ error: { status: 404, message: 'No run with id nope' } });
    const batch = await get(f.app, `/api/history?run=${f.plain[0]}&key=val.loss&run=gone&key=val.loss`);
    expect(batch.status).toBe(404);
    expect(JSON.parse(batch.text)).toMatchObject({ error: { message: 'No run with id gone' } });
    const known = await get(f.app, `/api/runs/${f.plain[0]}/history?key=val.loss`);
    expect(JSON.parse(known.text)).toMatchObject({ run: f.plain[0], key: 'val.loss' });
  });

  it('/runs/<not a run>/artifacts/x is a 404 even when such a folder exists under the artifacts root', async () => {
    const dir = join(f.store.artifactsDir, 'notarun');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.txt'), 'not a run artifact');
    const r = await get(f.app, '/runs/notarun/artifacts/x.txt');
    expect(r.status).toBe(404);
    expect(r.text).not.toContain('not a run artifact');
    expect(r.text).toContain('No run with id notarun');
    expect((await get(f.app, `/runs/${f.evil}/artifacts/confusion.json`)).status).toBe(200);
  });
});
