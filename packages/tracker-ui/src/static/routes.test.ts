import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hostileFixture, type Fixture } from '../testing/fixture.ts';
import { STATIC_FILES } from './routes.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('static files', () => {
  it('serves every listed client and uPlot file with its type and an ETag', async () => {
    for (const name of Object.keys(STATIC_FILES)) {
      const r = await get(f.app, `/static/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers.get('content-type')).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(r.text.length).toBeGreaterThan(100);
      const again = await get(f.app, `/static/${name}`, { headers: { 'if-none-match': r.headers.get('etag') ?? '' } });
      expect(again.status).toBe(304);
    }
    expect((await get(f.app, '/static/vendor/uPlot.esm.js')).text).toContain('export { uPlot as default }');
  });

  it('serves nothing that is not in the table', async () => {
    for (const path of ['/static/', '/static/seed.ts', '/static/../app.ts', '/static/vendor/uPlot.d.ts', '/static/%2e%2e/app.ts', '/static/vendor/..%2f..%2fpackage.json']) {
      expect((await get(f.app, path)).status, path).toBe(404);
    }
  });
});
