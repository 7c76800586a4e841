/**
 * Grouping and system metrics in a real Chromium: the runs page's group-by select puts the grouping
 * in the URL and shows mean ± std per group; the compare page draws each group's mean and band
 * (the drawn mean checked against the runs' values); system metrics (sys/*) get their own section
 * on the run and compare pages, apart from the model's charts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { meanStd, type Store } from '../../packages/core/src/store/index.ts';
import { fmtNum } from '../../packages/core/src/format.ts';
import { curves, seedRun, smallConfig, tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { openUiSession, type UiSession } from '../../packages/tracker-ui/src/testing/chromium.ts';

const OUT = join(process.cwd(), 'test-output', 'ui');
const EPOCHS = 6;
const QUALITIES = [1, 1.4, 0.5, 0.8];
let store: Store;
let server: { url: string; close: () => Promise<void> };
let page: Page;
const ids: string[] = [];
let problems: string[] = [];
let session: UiSession | undefined;

const lastOf = (key: string, q: number) => curves(EPOCHS, q).filter((p) => p.key === key).at(-1)?.value ?? Number.NaN;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  store = await tempStore('kiln-ui-groups-');
  for (const [i, q] of QUALITIES.entries()) {
    const config = { ...smallConfig(i < 2 ? 0.1 : 0.01, 16, i < 2 ? 'adam' : 'sgd'), seed: i };
    ids.push(await seedRun(store, { experiment: 'grp', name: `seed-${i}`, config, quality: q, epochs: EPOCHS, extraMetrics: ['sys/cpu_percent', 'sys/rss_mb'] }));
  }
  session = await openUiSession(store.url);
  ({ server, page, problems } = session);
});

afterAll(async () => {
  await session?.close();
  store?.close();
});

type Drawn = { label: string; n: number; lastMean: number | null }[];
const bandChart = (title: string) =>
  page.$$eval(
    'figure.chart-box',
    (figs, t) => {
      const fig = figs.find((f) => f.querySelector('figcaption')?.textContent === t && f.querySelector('[data-chart="bands"]'));
      const el = fig?.querySelector('[data-chart]') as HTMLElement | undefined;
      return { drawn: el?.dataset.seriesCount ?? null, groups: JSON.parse(el?.dataset.groups ?? '[]') as Drawn, bands: el?.querySelectorAll('canvas').length ?? 0 };
    },
    title,
  );

describe('grouping and system metrics in Chromium', () => {
  it('runs page: grouping from the select lands in the URL and the table shows mean ± std (n)', async () => {
    await page.goto(`${server.url}/runs?experiment=grp&cols=metrics.val.accuracy`);
    await Promise.all([page.waitForURL(/group=/), page.selectOption('#group-by', '-params.seed')]);
    expect(decodeURIComponent(page.url())).toContain('group=-params.seed');
    expect(await page.locator('#group-table tbody tr').count()).toBe(2);
    const { mean, std } = meanStd([lastOf('val.accuracy', 1), lastOf('val.accuracy', 1.4)]);
    const cells = await page.locator('#group-table tbody td').allTextContents();
    expect(cells).toContain(`${fmtNum(mean)} ± ${fmtNum(std)} (n=2)`);
    await page.screenshot({ path: join(OUT, 'runs-grouped.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/compare\?/), page.click('#compare-groups')]);
    await page.waitForSelector('body[data-charts-done="true"]');
    const chart = await bandChart('val.accuracy');
    expect(chart.drawn).toBe('2');
    expect(chart.groups.map((g) => g.n)).toEqual([2, 2]);
    // the drawn mean at the last step is the mean of the group's runs there
    const expected = [mean, meanStd([lastOf('val.accuracy', 0.5), lastOf('val.accuracy', 0.8)]).mean].sort();
    const drawnMeans = chart.groups.map((g) => g.lastMean ?? Number.NaN).sort();
    drawnMeans.forEach((m, i) => expect(m).toBeCloseTo(expected[i] ?? Number.NaN, 10));
    await page.screenshot({ path: join(OUT, 'compare-grouped.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('compare page: the band follows the choice (±std) and the state stays in the URL', async () => {
    await page.goto(`${server.url}/compare?runs=${ids.join(',')}&group=params.train.optimizer.name`);
    await page.waitForSelector('body[data-charts-done="true"]');
    await Promise.all([page.waitForURL(/band=std/), page.selectOption('#group-band', 'std')]);
    await page.waitForSelector('body[data-charts-done="true"]');
    expect(decodeURIComponent(page.url())).toContain('group=params.train.optimizer.name');
    const chart = await bandChart('val.loss');
    expect(chart.drawn).toBe('2');
    expect(chart.groups.map((g) => g.label)).toEqual(['train.optimizer.name=adam', 'train.optimizer.name=sgd']);
    expect(await page.locator('#group-metric-table thead th').count()).toBe(3);
    // grouped pages fit a phone: nothing wider than the viewport (wide tables scroll in their box)
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [page.url(), `${server.url}/runs?experiment=grp&group=-params.seed`]) {
      await page.goto(path);
      await page.waitForSelector('body[data-charts-done="true"]');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: join(OUT, 'runs-grouped-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(problems).toEqual([]);
  });

  it('system metrics have their own section on the run and compare pages, apart from the model charts', async () => {
    await page.goto(`${server.url}/runs/${ids[0]}`);
    await page.waitForSelector('body[data-charts-done="true"]');
    const modelTitles = await page.locator('#run-charts figcaption').allTextContents();
    const systemTitles = await page.locator('#system figcaption').allTextContents();
    expect(modelTitles.sort()).toEqual(['accuracy', 'loss']);
    expect(systemTitles.sort()).toEqual(['sys/cpu_percent', 'sys/rss_mb']);
    expect(await page.locator('#system [data-chart][data-drawn="true"]').count()).toBe(2);
    expect(await page.locator('#val-metrics th', { hasText: 'sys/' }).count()).toBe(0);
    await page.screenshot({ path: join(OUT, 'run-system.png'), fullPage: true });
    await page.goto(`${server.url}/compare?runs=${ids.slice(0, 3).join(',')}`);
    await page.waitForSelector('body[data-charts-done="true"]');
    const sys = await page.$$eval('#system [data-chart]', (els) => els.map((e) => (e as HTMLElement).dataset.seriesCount));
    expect(sys).toEqual(['3', '3']);
    expect(await page.locator('#compare-curves figcaption', { hasText: 'sys/' }).count()).toBe(0);
    expect(await page.locator('select[name="metric"] option', { hasText: 'sys/' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
