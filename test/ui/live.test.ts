/**
 * Live pages in a real Chromium: a tracker writes into a libsql store while the run, compare and
 * sweep pages are open; new points and the final status must show within one polling period
 * (3 s, the runs table's) without a page reload, and polling must stop once everything has ended.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { addTrials, claimTrial, createSweep, createTracker, finishTrial, setSweepStatus, type MetricPoint, type RunHandle, type Store } from '../../packages/core/src/store/index.ts';
import { seedRun, smallConfig, tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { openUiSession, type UiSession } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { BIN, REPO } from '../cli/run-cli.ts';

/** client/live.js's period; an update must land within it (plus the request's own time). */
const POLL_MS = 3000;
const WITHIN = POLL_MS + 1500;
const OUT = join(process.cwd(), 'test-output', 'ui');

let store: Store;
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let done: string;
let problems: string[] = [];
let session: UiSession | undefined;

const epoch = (e: number): MetricPoint[] => [
  { key: 'train.loss', step: e, epoch: e, value: 2 / (e + 1) },
  { key: 'val.loss', step: e, epoch: e, value: 2.2 / (e + 1) },
];

async function startLive(name: string, epochs: number): Promise<RunHandle> {
  const run = await createTracker(store).startRun({ experiment: 'live', name, config: smallConfig(0.01, 8), yaml: '', configHash: name, seed: 1 });
  for (let e = 1; e <= epochs; e++) run.logMetrics(epoch(e));
  await run.flush();
  return run;
}

/** Points drawn on the chart titled `title` (every series), read from the chart element. */
function drawnPoints(p: Page, title: string): Promise<number> {
  return p.$$eval(
    'figure.chart-box',
    (figs, t) => {
      const fig = figs.find((f) => f.querySelector('figcaption')?.textContent === t);
      const el = fig?.querySelector('[data-chart]') as (HTMLElement & { _series?: { steps: number[] }[] }) | undefined;
      return (el?._series ?? []).reduce((n, s) => n + s.steps.length, 0);
    },
    title,
  );
}

/** Milliseconds until `check` holds in the page (polled every 100 ms), or throws after `limit`. */
async function msUntil(check: () => Promise<boolean>, limit = WITHIN + 2000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < limit) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${limit} ms`);
}

async function open(path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('body[data-charts-done="true"]');
  // A marker a reload would wipe: the page must update in place.
  await page.evaluate(() => ((window as unknown as { kilnMarker: number }).kilnMarker = 42));
}

const marker = () => page.evaluate(() => (window as unknown as { kilnMarker?: number }).kilnMarker);
const badge = (sel: string) => page.getAttribute(sel, 'data-status');

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  store = await tempStore('kiln-ui-live-');
  done = await seedRun(store, { experiment: 'live', name: 'done', config: smallConfig(0.1, 8), epochs: 5 });
  session = await openUiSession(store.url);
  ({ server, browser, page, problems } = session);
});

afterAll(async () => {
  await session?.close();
  store?.close();
});

describe('live pages in Chromium', () => {
  it('run and compare pages: new points, a new metric and the final status appear within one polling period, in place', async () => {
    const run = await startLive('watched', 2);
    await open(`/runs/${run.id}`);
    const other = await browser.newPage();
    other.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await other.goto(`${server.url}/compare?runs=${run.id},${done}`);
    await other.waitForSelector('body[data-charts-done="true"]');
    expect(await badge('#run-status')).toBe('running');
    expect(await drawnPoints(page, 'loss')).toBe(4);
    const compared = await drawnPoints(other, 'val.loss');
    run.logMetrics([...epoch(3), ...epoch(4), { key: 'val.accuracy', step: 4, epoch: 4, value: 0.7 }]);
    await run.flush();
    const [onRun, onCompare] = await Promise.all([
      msUntil(async () => (await drawnPoints(page, 'loss')) === 8 && (await page.locator('figure.chart-box figcaption', { hasText: 'accuracy' }).count()) === 1),
      msUntil(async () => (await drawnPoints(other, 'val.loss')) === compared + 2),
    ]);
    expect(onRun).toBeLessThan(WITHIN);
    expect(onCompare).toBeLessThan(WITHIN);
    run.logMetrics([...epoch(5), { key: 'test.loss', step: 5, epoch: 5, value: 0.3 }]);
    await run.end('failed', 'diverged at epoch 5');
    const [ended, endedThere] = await Promise.all([
      msUntil(async () => (await badge('#run-status')) === 'failed'),
      msUntil(async () => (await other.getAttribute(`#param-table [data-run-status="${run.id}"]`, 'data-status')) === 'failed'),
    ]);
    expect(ended).toBeLessThan(WITHIN);
    expect(endedThere).toBeLessThan(WITHIN);
    await msUntil(async () => (await page.textContent('#run-summary'))?.includes('diverged at epoch 5') === true);
    expect(await page.locator('#test-metrics th', { hasText: 'test.loss' }).count()).toBe(1);
    expect(await drawnPoints(page, 'loss')).toBe(10);
    expect(await other.getAttribute(`#metric-table [data-run-status="${done}"]`, 'data-status')).toBe('finished');
    expect(await marker()).toBe(42);
    expect(await other.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    await page.screenshot({ path: join(OUT, 'live-run-ended.png'), fullPage: true });
    await other.screenshot({ path: join(OUT, 'live-compare-ended.png'), fullPage: true });
    // Nothing shown is live any more: the poller returned without scheduling another poll.
    await msUntil(async () => (await page.getAttribute('body', 'data-live')) === 'done' && (await other.getAttribute('body', 'data-live')) === 'done');
    await other.close();
    expect(problems).toEqual([]);
  });

  it('follows a real kiln train: its curves grow while it trains and its badge turns finished when it ends', async () => {
    // about 12 s of training (120 epochs of 120 steps): long enough that the open page sees several polls while it runs
    const child = spawn(process.execPath, [BIN, 'train', join(REPO, 'pipelines/penguins-mlp.yaml'), '--store', store.url, '--set', 'train.epochs=120', '--set', 'train.batchSize=2', '--set', 'runtime.backend=wasm', '--set', 'runtime.threads=1'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let id = '';
    await msUntil(async () => {
      const body = (await (await fetch(`${server.url}/api/runs?experiment=penguins&filter=${encodeURIComponent('status = "running"')}`)).json()) as { runs: { id: string }[] };
      id = body.runs[0]?.id ?? '';
      return id !== '';
    }, 60_000);
    await open(`/runs/${id}`);
    const first = await drawnPoints(page, 'loss');
    // more epochs reach the open page while the run is still running
    await msUntil(async () => (await drawnPoints(page, 'loss')) > first + 2 && (await badge('#run-status')) === 'running', 2 * WITHIN);
    expect(await exited).toBe(0);
    const endedAt = Date.now();
    await msUntil(async () => (await badge('#run-status')) === 'finished');
    expect(Date.now() - endedAt).toBeLessThan(WITHIN);
    // every epoch is drawn, as the store has it (early stopping may end the run before epoch 25)
    const stored = (await (await fetch(`${server.url}/api/history?run=${id}&key=train.loss&run=${id}&key=val.loss`)).json()) as { series: { steps: number[] }[] };
    const total = stored.series.reduce((n, x) => n + x.steps.length, 0);
    expect(total).toBeGreaterThan(first + 2);
    await msUntil(async () => (await drawnPoints(page, 'loss')) === total);
    // system metrics came with the epochs, in their own section
    await msUntil(async () => (await page.locator('#system figcaption', { hasText: 'sys/rss_mb' }).count()) === 1);
    expect(await marker()).toBe(42);
    await page.screenshot({ path: join(OUT, 'live-kiln-train.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('sweep page: a finished trial and the sweep ending show within one period', async () => {
    const sweepId = await createSweep(store, { name: 'live-sweep', experiment: 'live', spec: {}, method: 'random', metric: 'val.loss', goal: 'minimize' });
    await addTrials(store, sweepId, [0, 1].map((number) => ({ number, params: { lr: 0.1 / (number + 1) } })));
    const first = await claimTrial(store, sweepId, 'w1');
    if (first === null) throw new Error('no trial');
    await finishTrial(store, first.id, { state: 'complete', value: 0.4, runId: done });
    const second = await claimTrial(store, sweepId, 'w1');
    if (second === null) throw new Error('no trial');
    await open(`/sweeps/${sweepId}`);
    expect(await page.locator('#trials tbody tr td:nth-child(2)', { hasText: 'running' }).count()).toBe(1);
    await finishTrial(store, second.id, { state: 'complete', value: 0.2, runId: done });
    expect(await msUntil(async () => (await page.locator('#trials tbody tr td:nth-child(2)', { hasText: 'complete' }).count()) === 2)).toBeLessThan(WITHIN);
    await page.waitForSelector('#best-so-far[data-drawn="true"]');
    await setSweepStatus(store, sweepId, 'finished');
    expect(await msUntil(async () => (await page.getAttribute('[data-sweep-status]', 'data-live')) === 'false')).toBeLessThan(WITHIN);
    expect(await marker()).toBe(42);
    await msUntil(async () => (await page.getAttribute('body', 'data-live')) === 'done');
    expect(problems).toEqual([]);
  });
});
