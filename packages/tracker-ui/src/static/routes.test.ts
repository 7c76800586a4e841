import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hostileFixture, type Fixture } from '../testing/fixture.ts';
import { STATIC_FILES } from './routes.ts';

const CLIENT = fileURLToPath(new URL('../client', import.meta.url));

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

  it("serves the client as one bundle that formats numbers with core's formatter, not a copy", async () => {
    const js = (await get(f.app, '/static/app.js')).text;
    expect(js).not.toMatch(/from ["']\.\/(series|charts|svg-charts|runs-table)\.js["']/);
    expect(js).toMatch(/from ["']\.\/vendor\/uPlot\.esm\.js["']/);
    expect(js).toContain('toPrecision(4)');
    const sources = readdirSync(CLIENT).filter((n) => n.endsWith('.js'));
    expect(sources).toContain('runs-table.js');
    for (const name of sources) expect(readFileSync(join(CLIENT, name), 'utf8'), name).not.toMatch(/function fmt[A-Z]/);
  });

  it('serves nothing that is not in the table', async () => {
    for (const path of ['/static/', '/static/seed.ts', '/static/../app.ts', '/static/vendor/uPlot.d.ts', '/static/%2e%2e/app.ts', '/static/vendor/..%2f..%2fpackage.json']) {
      expect((await get(f.app, path)).status, path).toBe(404);
    }
  });
});
