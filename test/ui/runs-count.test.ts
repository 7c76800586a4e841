/**
 * The runs pager's exact total in a real Chromium: past COUNT_BOUND matches the page is served with "1,000+",
 * then its script asks /api/runs/count and fills in the exact total, the page count and a link to the last page,
 * which lands on the last page's runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedRunsBulk } from '../../packages/core/src/testing.ts';
import type { Store } from '../../packages/core/src/store/index.ts';
import { tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { openUiSession, type UiSession } from '../../packages/tracker-ui/src/testing/chromium.ts';

const N = 1234;

let store: Store;
let server: { url: string; close: () => Promise<void> };
let page: Page;
let problems: string[] = [];
let session: UiSession | undefined;

beforeAll(async () => {
  store = await tempStore('kiln-ui-runs-count-');
  await seedRunsBulk(store, N, { batch: 500 });
  session = await openUiSession(store.url);
  ({ server, page, problems } = session);
});

afterAll(async () => {
  await session?.close();
  store?.close();
});

describe('runs pager total', () => {
  it('shows the bounded total first, then fills in the exact one and the last page', async () => {
    const counts: string[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/runs/count') counts.push(`${r.status()} ${r.url()}`);
    });
    const res = await page.goto(`${server.url}/runs?sort=-metrics.val.accuracy&page=2`);
    expect(await res?.text()).toContain('<span id="pager-range">51–100 of 1,000+</span>');
    await page.waitForSelector('nav.pager[data-total]', { timeout: 10_000 });
    expect(await page.locator('#pager-range').textContent()).toBe('51–100 of 1,234 (page 2 of 25)');
    expect(counts).toEqual([`200 ${server.url}/api/runs/count`]);

    await page.locator('#pager-last').click();
    await page.waitForURL(/page=25/);
    // the last page's 34 runs, now counted exactly by the server itself
    expect(await page.locator('#pager-range').textContent()).toBe('1,201–1,234 of 1,234 (page 25 of 25)');
    expect(await page.locator('#runs-table tbody tr').count()).toBe(34);
    expect(await page.locator('nav.pager[data-count-url]').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
