/**
 * The charts in a real headless Chromium, read from what uPlot and the SVG charts drew: one colour per
 * run on every chart of a compare page (a run missing a metric included), 20 distinct colours, y axes
 * as wide as their compact labels, integer ticks on counting axes, a one-point series that shows,
 * the step/epoch/wall-time switch, dark mode and the `/` key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openStore } from '../../packages/core/src/store/index.ts';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { seedShowcase, STEP_MS, type Showcase } from '../../packages/tracker-ui/src/testing/showcase.ts';
import { minDistance } from '../../packages/tracker-ui/src/testing/colour.ts';

let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let show: Showcase;
const problems: string[] = [];

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-ui-charts-')), 'kiln.db');
  const store = await openStore(file);
  show = await seedShowcase(store);
  store.close();
  server = await serveUi({ store: file, port: 0, log: () => undefined });
  browser = await launchChromium(1440, 900);
  page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('body[data-charts-done="true"]', { timeout: 20_000 });
}

/** Per chart, the run label and the colour each drawn series or mark used (uPlot's resolved stroke, SVG fill/stroke). */
async function drawnColours(p: Page): Promise<{ chart: string; label: string; colour: string }[]> {
  return p.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    // Any CSS colour (rgb(), #abc, named) to one #rrggbb form.
    const norm = (c: string) => {
      if (!ctx) return c;
      ctx.fillStyle = '#000';
      ctx.fillStyle = c;
      return String(ctx.fillStyle);
    };
    type Plotted = HTMLElement & { _plot?: { series: { label?: string; _stroke?: string }[] } };
    const out: { chart: string; label: string; colour: string }[] = [];
    for (const el of document.querySelectorAll<Plotted>('[data-chart]')) {
      const spec = JSON.parse(document.getElementById(el.dataset.spec ?? '')?.textContent ?? '{}') as { labels?: string[] };
      if (el._plot) {
        for (const s of el._plot.series.slice(1)) out.push({ chart: el.id, label: String(s.label), colour: norm(String(s._stroke)) });
        // the legend's markers, as a reader matches them to curves
        for (const row of el.querySelectorAll<HTMLElement>('.u-legend .u-series')) {
          const marker = row.querySelector<HTMLElement>('.u-marker');
          const label = row.querySelector('.u-label')?.textContent ?? '';
          if (marker && row !== el.querySelector('.u-legend .u-series')) out.push({ chart: `${el.id}-legend`, label, colour: norm(getComputedStyle(marker).borderColor) });
        }
      }
      // SVG charts mark each run's shapes (or the group holding them) with data-series, its index in the labels
      for (const mark of el.querySelectorAll('[data-series]')) {
        const i = Number(mark.getAttribute('data-series'));
        for (const shape of mark.matches('rect, polyline, circle') ? [mark] : mark.querySelectorAll('rect, polyline, circle')) {
          out.push({ chart: el.id, label: spec.labels?.[i] ?? '', colour: norm(shape.getAttribute('fill') === 'none' ? (shape.getAttribute('stroke') ?? '') : (shape.getAttribute('fill') ?? '')) });
        }
      }
    }
    // the swatches beside run names in the compare tables
    for (const sw of document.querySelectorAll<HTMLElement>('[data-color-index]')) {
      out.push({ chart: 'swatch', label: sw.parentElement?.querySelector('a')?.textContent ?? '', colour: norm(getComputedStyle(sw).backgroundColor) });
    }
    return out;
  });
}

describe('chart colours', () => {
  it('give each run one colour on every chart, legend and bar of a compare page, a run missing a metric included', async () => {
    await open(`/compare?runs=${show.compare.three.join(',')}`);
    const drawn = await drawnColours(page);
    // val.epochs_seen lacks the first run: its series are the 2nd and 3rd runs at chart positions 0 and 1.
    const partial = drawn.filter((d) => d.chart === 'curve-3');
    expect(await page.textContent('figure:has(#curve-3) figcaption')).toBe('val.epochs_seen');
    expect(partial.map((d) => d.label)).toEqual(['iris-adam-64', 'iris-adam-128']);
    const byRun = new Map<string, Set<string>>();
    for (const d of drawn) byRun.set(d.label, (byRun.get(d.label) ?? new Set()).add(d.colour));
    expect([...byRun.keys()].sort()).toEqual(['iris-adam-128', 'iris-adam-32', 'iris-adam-64']);
    for (const [run, colours] of byRun) expect([...colours], run).toHaveLength(1);
    expect(new Set([...byRun.values()].map((c) => [...c][0])).size).toBe(3);
    // every kind of chart took part: curves, their legends, parallel coordinates, the scatter and bars
    const charts = new Set(drawn.map((d) => d.chart.replace(/-\d+(-legend)?$/, '$1')));
    expect([...charts].sort()).toEqual(['bars', 'curve', 'curve-legend', 'parcoords', 'scatter', 'scatter-legend', 'swatch']);
  });

  it('give 20 runs 20 distinct colours', async () => {
    await open(`/compare?runs=${show.compare.twenty.join(',')}`);
    const curve = (await drawnColours(page)).filter((d) => d.chart === 'curve-0');
    expect(curve).toHaveLength(20);
    expect(new Set(curve.map((d) => d.colour)).size).toBe(20);
    // distinct to the eye too, not only as strings (hues spread around the wheel came close to the first ten)
    expect(minDistance(curve.map((d) => d.colour))).toBeGreaterThan(25);
  });
});

/** The y axis of chart `id`: its tick labels, its width and the widest label's width in its own font. */
async function yAxis(id: string) {
  return page.evaluate((chartId) => {
    type U = { ctx: CanvasRenderingContext2D; axes: { _values: string[]; _size: number; font: string[]; ticks: { size: number } }[] };
    const u = (document.getElementById(chartId) as HTMLElement & { _plot: U })._plot;
    const axis = u.axes[1];
    if (!axis) throw new Error('no y axis');
    u.ctx.font = axis.font[0] ?? '';
    const widest = Math.max(...axis._values.map((v) => u.ctx.measureText(v).width)) / devicePixelRatio;
    return { labels: axis._values, size: axis._size, widest, tick: axis.ticks.size };
  }, id);
}

async function chartId(title: string): Promise<string> {
  return page.$$eval('figure.chart-box', (figs, t) => figs.find((f) => f.querySelector('figcaption')?.textContent === t)?.querySelector('[data-chart]')?.id ?? '', title);
}

describe('chart axes and points', () => {
  it('size y axes to compact labels: millions with M, ten-thousandths in scientific notation', async () => {
    await open(`/runs/${show.runs.regression}`);
    const mse = await yAxis(await chartId('mse'));
    expect(mse.labels.some((l) => /^\d+M$/.test(l))).toBe(true);
    expect(mse.size).toBeGreaterThanOrEqual(mse.widest + mse.tick);
    const lr = await yAxis(await chartId('lr'));
    expect(lr.labels.filter((l) => l !== '0').every((l) => /^\d(\.\d+)?e-4$/.test(l))).toBe(true);
    expect(lr.size).toBeGreaterThanOrEqual(lr.widest + lr.tick);
  });

  it('puts whole-number ticks on trial and epoch axes', async () => {
    await open(`/sweeps/${show.sweeps[1]}`);
    const splits = await page.$eval('#best-so-far', (el) => (el as HTMLElement & { _plot: { axes: { _splits: number[] }[] } })._plot.axes[0]?._splits ?? []);
    expect(splits.length).toBeGreaterThan(1);
    expect(splits.filter((s) => !Number.isInteger(s))).toEqual([]);
  });

  it('shows a one-point series (a trial pruned after its first epoch)', async () => {
    await open(`/runs/${show.runs.pruned}`);
    const id = await chartId('accuracy');
    // Pixels of the series colour on the plot canvas: a lone point drawn as a line is nothing.
    const painted = await page.$eval(`#${id}`, (el) => {
      const u = (el as HTMLElement & { _plot: { ctx: CanvasRenderingContext2D; series: { _stroke: string }[] } })._plot;
      const colour = u.series[1]?._stroke ?? '';
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
      const { data } = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs((data[i] ?? 0) - (r ?? 0)) < 8 && Math.abs((data[i + 1] ?? 0) - (g ?? 0)) < 8 && Math.abs((data[i + 2] ?? 0) - (b ?? 0)) < 8) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(10);
  });

  it('switches curves between step, epoch and wall time, kept in the URL', async () => {
    await open(`/runs/${show.runs.regression}`);
    const id = await chartId('mse');
    const xMax = () => page.$eval(`#${id}`, (el) => (el as HTMLElement & { _plot: { scales: { x: { max: number } } } })._plot.scales.x.max);
    expect(await xMax()).toBe(71); // 12 epochs of 6 batches: the last epoch ends at step 71
    await page.selectOption('#xaxis', 'epoch');
    expect(await page.$eval(`#${id}`, (el) => (el as HTMLElement).dataset.xMode)).toBe('epoch');
    expect(await xMax()).toBe(12);
    expect(page.url()).toMatch(/xaxis=epoch/);
    const ticks = await page.$eval(`#${id}`, (el) => (el as HTMLElement & { _plot: { axes: { _splits: number[] }[] } })._plot.axes[0]?._splits ?? []);
    expect(ticks.filter((s) => !Number.isInteger(s))).toEqual([]);
    await page.selectOption('#xaxis', 'time');
    expect(await page.$eval(`#${id}`, (el) => (el as HTMLElement).dataset.xMode)).toBe('time');
    // seconds since the run started to its last row (step 71, 72 steps of STEP_MS after the seed's start), as m:ss
    expect(await xMax()).toBeGreaterThanOrEqual((72 * STEP_MS) / 1000);
    expect(await xMax()).toBeLessThan((72 * STEP_MS) / 1000 + 2);
    const labels = await page.$eval(`#${id}`, (el) => (el as HTMLElement & { _plot: { axes: { _values: string[] }[] } })._plot.axes[0]?._values ?? []);
    expect(labels.every((l) => /^\d+:\d\d$/.test(l))).toBe(true);
    await open(`/runs/${show.runs.regression}?xaxis=epoch`);
    expect(await page.$eval(`#${id}`, (el) => (el as HTMLElement).dataset.xMode)).toBe('epoch');
  });
});

describe('theme and keys', () => {
  it('follows a dark system setting, charts included', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(`/runs/${show.runs.classification}`);
    const seen = await page.evaluate(() => {
      const u = (document.querySelector('[data-chart="lines"]') as HTMLElement & { _plot: { axes: { stroke: (u: unknown) => string }[] } })._plot;
      const css = getComputedStyle(document.documentElement);
      return { page: getComputedStyle(document.body).backgroundColor, text: css.getPropertyValue('--chart-text').trim(), axis: u.axes[1]?.stroke(u) };
    });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(seen.page).toBe('rgb(14, 18, 26)');
    expect(seen.axis).toBe(seen.text);
    expect(seen.text).toBe('#b8c0cf');
  });

  it('focuses the runs filter on / but not while typing in a field', async () => {
    await page.goto(`${server.url}/runs`);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter');
    await page.keyboard.type('name ~ "a/b"');
    expect(await page.inputValue('#filter')).toBe('name ~ "a/b"');
    expect(problems).toEqual([]);
  });
});
