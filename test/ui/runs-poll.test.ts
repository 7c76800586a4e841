/**
 * The runs table's poll through the response cache, in a real Chromium: while nothing changes the browser
 * revalidates /api/runs with its ETag (answered 304, so the page reads its cached copy); a run that ends shows as
 * ended within one polling period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createTracker, type RunHandle, type Store } from '../../packages/core/src/store/index.ts';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { seedRun, smallConfig, tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';

/** client/runs-table.js's period; an update must land within it (plus the request's own time). */
const POLL_MS = 3000;
const WITHIN = POLL_MS + 1500;

let store: Store;
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let live: RunHandle;
const polls: { sent: string | undefined; etag: string | undefined }[] = [];
const problems: string[] = [];

beforeAll(async () => {
  store = await tempStore('kiln-ui-runs-poll-');
  await seedRun(store, { experiment: 'poll', name: 'done', config: smallConfig(0.1, 8), epochs: 2 });
  live = await createTracker(store, { heartbeatMs: 60_000 }).startRun({ experiment: 'poll', name: 'watched', config: smallConfig(0.01, 8), yaml: '', configHash: 'watched' });
  server = await serveUi({ store: store.url, port: 0, log: () => undefined });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('response', (r) => {
    if (new URL(r.url()).pathname !== '/api/runs') return;
    // the conditional header is the browser's own (its HTTP cache adds it); a 304 reaches the page as the cached 200
    void r
      .request()
      .allHeaders()
      .then((h) => polls.push({ sent: h['if-none-match'], etag: r.headers().etag }));
  });
  page.on('pageerror', (e) => problems.push(e.message));
});

afterAll(async () => {
  if (!live.ended) await live.end('finished');
  await browser?.close();
  await server?.close();
  store?.close();
});

describe('runs table polling through the cache', () => {
  it('revalidates with its ETag while nothing changes, and shows the run ended within one polling period', async () => {
    await page.goto(`${server.url}/runs`);
    const status = page.locator('#runs-table tr[data-live] [data-cell="status"] span');
    expect(await status.textContent()).toBe('running');
    // nothing is written meanwhile (the heartbeat is a minute apart): the browser sends its ETag and gets 304
    await new Promise((r) => setTimeout(r, 2 * POLL_MS + 500));
    const [first, ...later] = polls;
    expect(first?.etag).toMatch(/^"[\w-]+"$/);
    expect(later.length).toBeGreaterThanOrEqual(1);
    for (const p of later) expect(p).toEqual({ sent: first?.etag, etag: first?.etag });
    await live.end('finished');
    const t0 = Date.now();
    await page.waitForFunction(() => document.querySelector('#runs-table [data-cell="status"] span.status-finished') !== null && document.querySelectorAll('#runs-table tr[data-live]').length === 0, null, { timeout: WITHIN + 2000 });
    expect(Date.now() - t0).toBeLessThan(WITHIN);
    // the answer that showed it was a new one (its record lands after the page used it: allHeaders() is async)
    await expect.poll(() => polls.at(-1)?.etag, { timeout: 2000 }).not.toBe(first?.etag);
    expect(problems).toEqual([]);
  });
});
