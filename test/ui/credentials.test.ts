/**
 * No open door: the real `kiln ui` off loopback. Without a token it refuses to start (exit 2, a
 * located error, no stack); with one, every route (pages, /api, artifacts, static files, unknown
 * paths) answers 401 with a challenge and the security headers unless the request carries the
 * token, as a bearer token or a browser's basic login; the Host check still applies; and the token
 * appears in nothing the UI prints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { kiln } from '../cli/run-cli.ts';
import { machine, on, penguins, sha256, startUi, stopUi, type Machine } from '../pg/machines.ts';
import type { Kiln } from '../sweep/helpers.ts';

const STACK = /\n\s+at .+:\d+:\d+/;
const TOKEN = 'kiln-test-token-5f2b9c0e1d7a';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let m: Machine;
let runId = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cred-'));
  m = machine(join(dir, 'kiln.db'));
  const r = on(m, ['train', penguins(m, 'penguins', [['epochs: 100', 'epochs: 1']]), '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  runId = (JSON.parse(r.stdout) as { runId: string }).runId;
});

/** `kiln ui` that must refuse: exit 2, nothing on stdout, no stack; its stderr. */
function refused(args: string[], env: Record<string, string>): string {
  const r = kiln(['ui', '--port', '0', ...args], { cwd: m.cwd, env: { ...m.env, KILN_UI_TOKEN: '', KILN_TOKEN: '', ...env }, timeoutMs: 30_000 });
  expect(r.stderr).not.toMatch(STACK);
  expect([r.code, r.stdout]).toEqual([2, '']);
  return r.stderr;
}

describe('kiln ui off loopback', () => {
  it('refuses to start without a token, or with an unusable one, and says how to give one', () => {
    const none = refused(['--host', '0.0.0.0'], {});
    expect(none).toMatch(/error\[auth\/token-required\] +--host/);
    expect(none).toContain('kiln ui will not listen on 0.0.0.0 without credentials');
    expect(none).toContain('set $KILN_UI_TOKEN or $KILN_TOKEN to a token');
    const missing = join(m.cwd, 'no-such.token');
    expect(refused(['--host', '0.0.0.0', '--token-file', missing], {})).toContain(`error[auth/token-file] ${missing}`);
    const weak = refused(['--host', '0.0.0.0'], { KILN_UI_TOKEN: 'hunter2' });
    expect(weak).toContain('error[auth/weak-token]');
    expect(weak).not.toContain('hunter2');
  });

  describe('with a token', () => {
    let ui: Kiln;
    let base = '';
    beforeAll(async () => {
      const file = join(m.cwd, 'ui.token');
      writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
      const started = await startUi(m, ['--host', '0.0.0.0', '--token-file', file], { KILN_UI_TOKEN: '', KILN_TOKEN: '' });
      ui = started.ui;
      base = `http://127.0.0.1:${new URL(started.url).port}`;
    });
    afterAll(async () => {
      await stopUi(ui);
      expect(`${ui.stdout()}${ui.stderr()}`).not.toContain(TOKEN);
    });

    const routes = () => ['/', '/runs', `/runs/${runId}`, '/api/runs', `/runs/${runId}/artifacts/confusion.json`, '/static/app.js', '/sweeps', '/no-such-page'];

    it('answers 401 with a challenge and the security headers to a missing or wrong token, on every route', async () => {
      for (const path of routes()) {
        for (const authorization of [undefined, `Bearer ${TOKEN}x`, 'Bearer ', basic('admin', 'admin'), basic(TOKEN, ''), `Token ${TOKEN}`]) {
          const res = await fetch(`${base}${path}`, { headers: authorization === undefined ? {} : { authorization } });
          const body = await res.text();
          expect(res.status, `${path} ${authorization}`).toBe(401);
          expect(res.headers.get('www-authenticate')).toBe('Basic realm="Kiln", charset="UTF-8", Bearer realm="Kiln"');
          expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
          expect(res.headers.get('x-frame-options')).toBe('DENY');
          expect(body).not.toContain(runId);
          expect(body).not.toContain(TOKEN);
        }
      }
    });

    it('serves every route to the right token, as a bearer token or a basic-auth password', async () => {
      for (const authorization of [`Bearer ${TOKEN}`, basic('anyone', TOKEN)]) {
        for (const path of routes().filter((p) => p !== '/no-such-page')) {
          const res = await fetch(`${base}${path}`, { headers: { authorization } });
          expect(res.status, `${path} ${authorization}`).toBe(200);
          await res.arrayBuffer();
        }
      }
      const art = await fetch(`${base}/runs/${runId}/artifacts/confusion.json`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(art.headers.get('etag')).toBe(`"sha256-${sha256(Buffer.from(await art.arrayBuffer()))}"`);
    });

    it('in Chromium: the browser login with the token loads the run page and every script, style and /api call it makes; a wrong login is refused', async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        const loggedIn = await browser.newContext({ httpCredentials: { username: 'alice', password: TOKEN } });
        const page = await loggedIn.newPage();
        const statuses: string[] = [];
        page.on('response', (r) => statuses.push(`${r.status()} ${new URL(r.url()).pathname}`));
        const res = await page.goto(`${base}/runs/${runId}`, { waitUntil: 'networkidle' });
        expect(res?.status()).toBe(200);
        expect(await page.textContent('body')).toContain(runId);
        expect(statuses.some((st) => st.startsWith('200 /static/app.js'))).toBe(true);
        expect(statuses.filter((st) => !st.startsWith('2') && !st.startsWith('3') && !st.startsWith('401'))).toEqual([]);
        const wrong = await (await browser.newContext({ httpCredentials: { username: 'alice', password: `${TOKEN}x` } })).newPage();
        expect((await wrong.goto(`${base}/runs/${runId}`))?.status()).toBe(401);
        expect(await wrong.textContent('body')).not.toContain(runId);
      } finally {
        await browser.close();
      }
    });

    it('keeps the Host check: the right token with a foreign Host is still refused', async () => {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${base}/api/runs`, { headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(421);
    });
  });
});
