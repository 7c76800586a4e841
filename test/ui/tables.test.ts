/**
 * The runs table, compare and sweep pages' tables and pickers in headless Chromium: default columns the same on
 * every page of a query, the CSV download, the compare baseline picker and its coloured differences, parallel
 * coordinates with a log axis, a gap and an axis picker, final/best/last on a sweep, timestamps with a local title.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { addTrials, claimTrial, createSweep, finishTrial } from '../../packages/core/src/store/index.ts';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { seedRun, smallConfig, tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { collectPageErrors, launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';

const OUT = join(process.cwd(), 'test-output', 'ui');
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let ids: string[] = [];
let sweepId = '';
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const store = await tempStore('kiln-ui-tables-');
  ids = [];
  // 7 runs: the learning rate (spanning 3 decades) and the optimizer vary; sgd runs have no beta1 (a parcoords gap)
  for (let i = 0; i < 7; i++) {
    const adam = i % 2 === 0;
    const lr = 10 ** -(1 + (i % 4));
    const config = { ...smallConfig(lr, 16, adam ? 'adam' : 'sgd'), description: `run ${i}, described in a sentence of free text`, train: { epochs: 8, optimizer: { name: adam ? 'adam' : 'sgd', learningRate: lr, ...(adam ? { beta1: 0.9 - i / 100 } : {}) } } };
    ids.push(await seedRun(store, { experiment: 'mnist', name: `run-${i}`, config, quality: 1 + i / 3, epochs: 12, tags: { note: i === 3 ? '=cmd|calc' : 'ok' } }));
  }
  sweepId = await createSweep(store, { name: 'lr', experiment: 'mnist', spec: { space: { 'train.optimizer.learningRate': { type: 'logUniform', low: 1e-4, high: 0.1 } } }, method: 'tpe', metric: 'val.loss', goal: 'minimize' });
  await addTrials(store, sweepId, [0, 1, 2].map((n) => ({ number: n, params: { 'train.optimizer.learningRate': 10 ** -(1 + n) } })));
  for (const n of [0, 1, 2]) {
    const t = await claimTrial(store, sweepId, 'w');
    if (t === null) throw new Error('no trial');
    await finishTrial(store, t.id, { state: 'complete', value: 0.3 + n / 10, runId: ids[n] ?? null });
  }
  const url = store.url;
  store.close();
  server = await serveUi({ store: url, port: 0, log: () => undefined });
  browser = await launchChromium(1440, 900);
  page = await browser.newPage();
  collectPageErrors(page, problems);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const headers = (p: Page) => p.locator('#runs-table thead th').allTextContents();

describe('tables in Chromium', () => {
  it('shows the same default columns on every page of a query and downloads the filtered table as CSV', async () => {
    await page.goto(`${server.url}/runs?experiment=mnist&limit=3`);
    const first = await headers(page);
    // the learning rate takes as many values as adam's beta1 but every run has it: it comes first
    const params = first.filter((h) => h.startsWith('train.'));
    expect(params.slice(0, 2)).toEqual(['train.optimizer.learningRate', 'train.optimizer.beta1']);
    expect(first.some((h) => h.includes('description'))).toBe(false);
    await Promise.all([page.waitForURL(/page=2/), page.click('a[rel="next"]')]);
    expect(await headers(page)).toEqual(first);
    const title = await page.getAttribute('#runs-table time', 'title');
    expect(title).toContain('your local time');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toContain('params.train.optimizer.learningRate');
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5', 'run-6']);
    await page.screenshot({ path: join(OUT, 'tables-runs.png'), fullPage: true });
  });

  it('compares against a baseline picked in the page, with coloured signed differences, and picks parcoords axes', async () => {
    await page.goto(`${server.url}/compare?runs=${ids.slice(0, 4).join(',')}`);
    await page.waitForSelector('body[data-charts-done="true"]');
    const better = await page.locator('#metric-table tr[data-metric="val.loss"][data-value="final"] .delta-better').count();
    await Promise.all([page.waitForURL(/baseline=/), page.selectOption('#baseline', ids[3] ?? '')]);
    await page.waitForSelector('body[data-charts-done="true"]');
    expect(page.url()).toContain(`baseline=${ids[3]}`);
    const after = await page.locator('#metric-table tr[data-metric="val.loss"][data-value="final"] .delta-better').count();
    expect(after).not.toBe(better);
    expect(await page.locator('#metric-table th', { hasText: '(baseline)' }).count()).toBe(1);
    // parcoords: a line per run, the sgd runs with a gap on beta1, the learning rate on a log axis
    expect(await page.locator('#parcoords g.run').count()).toBe(4);
    expect(await page.locator('#parcoords g.run[data-gaps="1"]').count()).toBe(2);
    expect(await page.locator('#parcoords text.axis-label[data-log="true"]').allTextContents()).toEqual(['train.optimizer.learningRate (log)']);
    expect(await page.locator('#parcoords text.axis-label').allTextContents()).not.toContain('description');
    // the scatter's default x is the first numeric axis, the log-distributed learning rate: a log x axis
    expect(await page.getAttribute('#scatter', 'data-x-log')).toBe('true');
    await page.click('#axis-picker summary');
    await page.uncheck('#axis-picker input[value="train.optimizer.beta1"]');
    await Promise.all([page.waitForURL(/axes=/), page.click('#axis-picker button')]);
    await page.waitForSelector('body[data-charts-done="true"]');
    expect(await page.locator('#parcoords g.run[data-gaps="1"]').count()).toBe(0);
    expect(page.url()).toContain(`baseline=${ids[3]}`);
    await page.screenshot({ path: join(OUT, 'tables-compare.png'), fullPage: true });
  });

  it('names final, best and last on the sweep page', async () => {
    await page.goto(`${server.url}/sweeps/${sweepId}`);
    await page.waitForSelector('body[data-charts-done="true"]');
    const heads = await page.locator('#trials thead th').allTextContents();
    expect(heads).toEqual(expect.arrayContaining(['final val.loss', 'best val.loss', 'last val.loss']));
    expect(await page.locator('#sweep-parcoords text.axis-label[data-log="true"]').count()).toBe(1);
    await page.screenshot({ path: join(OUT, 'tables-sweep.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
