import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeNames, get, hostileFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('security headers and read-only', () => {
  it('sends a CSP without unsafe-inline or unsafe-eval on pages, API and errors', async () => {
    for (const path of ['/', '/runs', '/api/runs', '/nope', `/runs/${f.evil}`]) {
      const r = await get(f.app, path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('pages carry no inline script code: every <script> is external or a JSON data block', async () => {
    for (const path of ['/', '/runs', `/runs/${f.evil}`, `/compare?runs=${f.evil},${f.plain[0]}`]) {
      const html = (await get(f.app, path)).text;
      const tags = html.match(/<script[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const t of tags) expect(t.includes('src="/static/') || t.includes('type="application/json"')).toBe(true);
      const attrs = attributeNames(html);
      expect(attrs).toContain('href');
      expect(attrs.filter((a) => a.startsWith('on') || a === 'style')).toEqual([]);
    }
  });

  it('rejects every method but GET/HEAD with 405 and an Allow header', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const r = await get(f.app, '/api/runs', { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
    }
    expect((await get(f.app, '/api/runs', { method: 'HEAD' })).status).toBe(200);
  });
});
