/**
 * End to end in a real headless Chromium: serve a store with real runs, filter the runs page, select
 * three runs, open compare, and check every chart drew the series it should. Runs against both
 * store dialects: a libsql file and a PostgreSQL database (KILN_TEST_PG_URL or a throwaway cluster).
 * Screenshots go to test-output/ui/ (the PostgreSQL ones prefixed pg-).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { seedRun, smallConfig, tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { collectPageErrors, launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { loadPipelineFile, openStore, type Store } from '../../packages/core/src/index.ts';
import { DIALECTS, freshPgUrl, stopTestCluster } from '../../packages/core/src/store/testing/stores.ts';
import type { DialectName } from '../../packages/core/src/store/dialect.ts';
import { trainPipeline } from '../../packages/runner/src/run/train-pipeline.ts';
import { useWasm } from '../../packages/runner/src/train/test-support.ts';

const PENGUINS = join(import.meta.dirname, '../../pipelines/penguins-mlp.yaml');

/** Trains a tiny real penguins run (wasm, 1 thread) into the store at `url`. */
async function trainPenguins(url: string, lr: number): Promise<string> {
  const r = loadPipelineFile(PENGUINS, { overrides: ['runtime.backend=wasm', 'runtime.threads=1', 'train.epochs=5', `train.optimizer.learningRate=${lr}`] });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return (await trainPipeline(r.pipeline, { store: url, quiet: true, exitHandlers: false })).runId;
}

const OUT = join(process.cwd(), 'test-output', 'ui');
const HOME = process.cwd();
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
const problems: string[] = [];
const trained: string[] = [];

afterAll(stopTestCluster);

/** An empty store of the dialect; a PostgreSQL store keeps artifacts in `.kiln/artifacts` of the cwd, so the cwd moves to a temp folder. */
async function emptyStore(dialect: DialectName): Promise<Store> {
  if (dialect === 'sqlite') return tempStore('kiln-ui-e2e-');
  process.chdir(mkdtempSync(join(tmpdir(), 'kiln-ui-e2e-pg-')));
  return openStore(await freshPgUrl());
}

/** Seeds and trains the runs the tests look at, then serves the UI and opens Chromium. */
async function setUp(dialect: DialectName): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  problems.length = 0;
  trained.length = 0;
  const store = await emptyStore(dialect);
  const specs: [string, number, number, string, number][] = [
    ['adam-small', 0.001, 32, 'adam', 0.8],
    ['adam-medium', 0.003, 64, 'adam', 1.2],
    ['adam-large', 0.01, 128, 'adam', 1.6],
    ['sgd-small', 0.05, 32, 'sgd', 0.5],
    ['sgd-large', 0.1, 128, 'sgd', 0.7],
  ];
  for (const [name, lr, units, opt, quality] of specs) {
    await seedRun(store, { experiment: 'mnist', name, config: smallConfig(lr, units, opt), quality, epochs: 30, tags: { optimizer: opt }, confusion: { labels: ['0', '1', '2'], matrix: [[50, 3, 1], [4, 45, 2], [0, 5, 48]] } });
  }
  await seedRun(store, { experiment: 'mnist', name: 'still-running', config: smallConfig(0.02, 64, 'rmsprop'), status: 'running', epochs: 5 });
  const url = store.url;
  store.close();
  await useWasm();
  trained.push(await trainPenguins(url, 0.01), await trainPenguins(url, 0.05));
  server = await serveUi({ store: url, port: 0, log: () => undefined });
  browser = await launchChromium();
  page = await browser.newPage();
  collectPageErrors(page, problems);
}

async function tearDown(): Promise<void> {
  await browser?.close();
  await server?.close();
  process.chdir(HOME);
}

async function chartCounts(p: Page) {
  await p.waitForSelector('body[data-charts-done="true"]', { timeout: 20_000 });
  return p.$$eval('[data-chart]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return { id: el.id, kind: d.chart, drawn: d.seriesCount === undefined ? null : Number(d.seriesCount), expected: Number(d.expectedSeries), error: d.error ?? null };
    }),
  );
}

describe.each(DIALECTS)('tracker UI in Chromium (%s store)', (dialect) => {
  beforeAll(() => setUp(dialect));
  afterAll(tearDown);
  const shot = (name: string) => join(OUT, dialect === 'sqlite' ? name : `${dialect}-${name}`);

  it('filters the runs page, selects three runs and compares them with every chart drawn', async () => {
    await page.goto(`${server.url}/runs?experiment=mnist`);
    expect(await page.locator('#runs-table tbody tr').count()).toBe(6);
    expect(await page.locator('#runs-table thead th', { hasText: 'Host' }).count()).toBe(1);
    // The running run's row is refreshed from /api/runs by polling: its duration cell fills in.
    const live = page.locator('#runs-table tr[data-live] [data-cell="duration"]');
    expect(await live.textContent()).toBe('');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#runs-table tr[data-live] [data-cell="duration"]')?.textContent ?? ''), null, { timeout: 10_000 });
    await page.fill('#filter', 'params.train.optimizer.name = "adam"');
    await Promise.all([page.waitForURL(/filter=/), page.press('#filter', 'Enter')]);
    const names = await page.locator('#runs-table tbody tr td:nth-child(3) a').allTextContents();
    expect(names.sort()).toEqual(['adam-large', 'adam-medium', 'adam-small']);
    for (const box of await page.locator('#runs-table input[name="runs"]').all()) await box.check();
    expect(await page.textContent('#selected-count')).toBe('3');
    expect(page.url()).toMatch(/sel=[^&]+%2C[^&]+%2C/);
    await page.screenshot({ path: shot('runs-filtered.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/compare\?/), page.click('#compare-button')]);
    const charts = await chartCounts(page);
    expect(charts.filter((c) => c.error !== null)).toEqual([]);
    const curves = charts.filter((c) => c.kind === 'lines');
    expect(curves.length).toBe(4);
    for (const c of curves) expect(c.drawn, c.id).toBe(3);
    for (const c of charts) expect(c.drawn, c.id).toBe(c.expected);
    expect(charts.find((c) => c.id === 'parcoords')?.drawn).toBe(3);
    expect(await page.locator('#parcoords polyline').count()).toBe(3);
    expect(await page.locator('.uplot').count()).toBe(5);
    await page.screenshot({ path: shot('compare.png'), fullPage: true });

    await page.locator('#smoothing').fill('0.8');
    await page.check('#logscale');
    expect(await page.locator('#param-table tr.equal').first().isVisible()).toBe(false);
    await page.uncheck('#hide-equal');
    expect(await page.locator('#param-table tr.equal').first().isVisible()).toBe(true);
    expect(page.url()).toMatch(/smooth=0\.8/);
    expect(page.url()).toMatch(/log=1/);
    expect(page.url()).toMatch(/hideEqual=0/);
    await page.screenshot({ path: shot('compare-smoothed-log.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a filter error in place with the column marked', async () => {
    problems.length = 0;
    await page.goto(`${server.url}/runs?experiment=mnist&filter=${encodeURIComponent('metrics.val.loss >> 1')}`);
    expect(await page.locator('#filter-error').isVisible()).toBe(true);
    expect(await page.getAttribute('#filter', 'aria-invalid')).toBe('true');
    await page.screenshot({ path: shot('runs-filter-error.png'), fullPage: true });
  });

  it('draws train vs val on the run page and shows the confusion matrix', async () => {
    problems.length = 0;
    await page.goto(`${server.url}/runs?experiment=mnist&filter=${encodeURIComponent('name = "adam-large"')}`);
    await Promise.all([page.waitForURL(/\/runs\/[a-z0-9]+$/), page.click('#runs-table tbody tr td:nth-child(3) a')]);
    const charts = await chartCounts(page);
    expect(charts.length).toBe(2);
    for (const c of charts) expect(c.drawn).toBe(2);
    expect(await page.locator('#confusion tbody tr').count()).toBe(3);
    await page.screenshot({ path: shot('run.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows real trained runs: train vs val curves, test metrics, the confusion matrix, and their comparison', async () => {
    problems.length = 0;
    await page.goto(`${server.url}/runs/${trained[0]}`);
    const charts = await chartCounts(page);
    const byTitle = Object.fromEntries(await page.$$eval('figure.chart-box', (figs) => figs.map((f) => [f.querySelector('figcaption')?.textContent ?? '', (f.querySelector('[data-chart]') as HTMLElement).dataset.seriesCount])));
    expect(byTitle.loss).toBe('2');
    expect(byTitle.accuracy).toBe('2');
    for (const c of charts) expect(c.drawn, c.id).toBe(c.expected);
    expect(await page.locator('#test-metrics th', { hasText: 'test.accuracy' }).count()).toBe(1);
    expect(await page.locator('#confusion tbody tr').count()).toBe(3);
    expect(await page.locator('#confusion thead th', { hasText: 'Adelie' }).count()).toBe(1);
    await page.screenshot({ path: shot('run-trained.png'), fullPage: true });
    await page.goto(`${server.url}/compare?runs=${trained.join(',')}`);
    const compared = await chartCounts(page);
    for (const c of compared.filter((x) => x.kind === 'lines')) expect(c.drawn, c.id).toBe(2);
    for (const c of compared) expect(c.drawn, c.id).toBe(c.expected);
    await page.screenshot({ path: shot('compare-trained.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
