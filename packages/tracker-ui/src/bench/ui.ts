/**
 * Tracker UI benchmark: runs-page server time over 10,000 runs (target <= 150 ms), the compare page
 * for 10 runs x 3 metrics x 100,000 steps rendered in Chromium (target <= 1.5 s), and the load test (load.ts):
 * 50 connections for 60 s each on a static file, /runs and /api/runs, side by side, with the verdict (no errors,
 * p99 within 5x the static file's); then /runs again while a run logs a point every second (each point changes
 * the store, so the page is recomputed: what freshness costs).
 *
 *   pnpm bench ui [--runs 10000] [--steps 100000] [--duration 60] [--connections 50] [--keep DIR] [--load-only] [--no-live]
 *
 * --keep DIR keeps the seeded store in DIR and reuses it on the next run; --load-only skips the server times and
 * the Chromium render (and seeding the long runs they use).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTracker, listRuns, openStore, type Store } from '@kiln/core/store';
import { seedRunsBulk } from '@kiln/core/testing';
import { createApp, serveUi } from '../index.ts';
import { launchChromium } from '../testing/chromium.ts';
import { phaseTable, runPhase, startServer, verdict, type PhaseResult } from './load.ts';

class UsageError extends Error {}

/** A positive whole-number option; anything else stops the bench before it seeds or loads anything. */
function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} takes a whole number of at least 1, not ${JSON.stringify(args[i + 1] ?? '')}`);
  return v;
}

interface Options {
  runs: number;
  steps: number;
  duration: number;
  connections: number;
  loadOnly: boolean;
  live: boolean;
  keep: string | undefined;
}

function options(args: string[]): Options {
  const known = new Set(['--runs', '--steps', '--duration', '--connections', '--keep', '--load-only', '--no-live']);
  const unknown = args.find((a, i) => a.startsWith('--') && !known.has(a) && !['--runs', '--steps', '--duration', '--connections', '--keep'].includes(args[i - 1] ?? ''));
  if (unknown !== undefined) throw new UsageError(`unknown option ${unknown}; the options are ${[...known].join(', ')}`);
  const keepIdx = args.indexOf('--keep');
  const keep = keepIdx >= 0 ? args[keepIdx + 1] : undefined;
  if (keepIdx >= 0 && (keep === undefined || keep.startsWith('--'))) throw new UsageError('--keep takes a folder to keep the seeded store in');
  return {
    runs: arg(args, 'runs', 10_000),
    steps: arg(args, 'steps', 100_000),
    duration: arg(args, 'duration', 60),
    connections: arg(args, 'connections', 50),
    loadOnly: args.includes('--load-only'),
    live: !args.includes('--no-live'),
    keep,
  };
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const [best, median, worst] = [s[0], s[Math.floor(s.length / 2)], s.at(-1)];
  if (best === undefined || median === undefined || worst === undefined) return 'no samples';
  return `median ${median.toFixed(1)} ms, best ${best.toFixed(1)} ms, worst ${worst.toFixed(1)} ms`;
}

/** Long runs for the compare page: 3 metrics x `steps` points each. */
async function seedLong(store: Store, count: number, steps: number): Promise<string[]> {
  const ids: string[] = [];
  for (let r = 0; r < count; r++) {
    const run = await createTracker(store).startRun({ experiment: 'long', name: `long${r}`, config: { train: { lr: 0.001 * (r + 1) } }, yaml: '', configHash: `l${r}` });
    await run.logParams({ 'train.lr': 0.001 * (r + 1), 'model.units': 32 * (1 + (r % 4)) });
    for (let start = 0; start < steps; start += 20_000) {
      const pts = [];
      for (let s = start; s < Math.min(steps, start + 20_000); s++) {
        const decay = Math.exp(-s / (steps / (3 + r)));
        pts.push({ key: 'train.loss', step: s, value: decay + 0.05 * Math.random() }, { key: 'val.loss', step: s, value: decay + 0.1 + 0.05 * Math.random() }, { key: 'val.accuracy', step: s, value: 1 - decay * 0.9 });
      }
      run.logMetrics(pts);
      await run.flush();
    }
    await run.end('finished');
    ids.push(run.id);
  }
  return ids;
}

async function timeRequests(app: ReturnType<typeof createApp>, path: string, reps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const res = await app.request(path, { headers: { host: '127.0.0.1' } });
    await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Loads the compare page `reps` times; each time is navigation start to every chart drawn, read in the page. */
async function renderCompare(url: string, reps: number): Promise<number[]> {
  const browser = await launchChromium(1400, 900);
  try {
    const page = await browser.newPage();
    const out: number[] = [];
    for (let i = 0; i < reps; i++) {
      await page.goto(url);
      await page.waitForSelector('body[data-charts-done="true"]', { timeout: 30_000 });
      const bad = await page.$$eval('[data-chart]', (els) => els.filter((e) => (e as HTMLElement).dataset.seriesCount !== (e as HTMLElement).dataset.expectedSeries).length);
      if (bad > 0) throw new Error(`${bad} charts drew the wrong number of series`);
      out.push(await page.evaluate(() => performance.now()));
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** Server time of the runs page over the seeded store, and the compare page drawn in Chromium. */
async function pageTimes(store: Store, path: string, runs: number, long: string[], steps: number): Promise<void> {
  const app = createApp({ store });
  const filter = encodeURIComponent('metrics.val.accuracy > 0.5 and params.train.optimizer.name = "adam"');
  for (const [label, p] of [['runs page (default)', '/runs'], ['runs page (filter + sort by metric)', `/runs?filter=${filter}&sort=-metrics.val.accuracy`], ['runs page (page 100)', '/runs?page=100']] as const) {
    // every request its own store state (a new point each time), so each is computed rather than answered from the cache
    const first = await timeRequests(app, p, 1);
    console.log(`${label}, ${runs} runs, server time: first ${first[0]?.toFixed(1) ?? '-'} ms; ${stats(await timeRequests(app, p, 15))} while unchanged (the response cache); ${stats(await timeChanged(store, app, p, 15))} with the store changed before each (target <= 150 ms)`);
  }
  const comparePath = `/compare?runs=${long.join(',')}`;
  console.log(`compare page HTML, 10 runs, server time: ${stats(await timeRequests(app, comparePath, 10))}`);
  const server = await serveUi({ store: path, port: 0, log: () => undefined });
  try {
    const times = await renderCompare(`${server.url}${comparePath}`, 5);
    console.log(`compare page in Chromium, 10 runs x 3 metrics x ${steps.toLocaleString('en-US')} steps, navigation to all charts drawn: first ${times[0]?.toFixed(0) ?? '–'} ms; ${stats(times.slice(1))} (target <= 1500 ms)`);
  } finally {
    await server.close();
  }
}

/** Times `path` with a tag written just before each request, so no answer can come from the cache. */
async function timeChanged(store: Store, app: ReturnType<typeof createApp>, path: string, reps: number): Promise<number[]> {
  const run = await createTracker(store, { heartbeatMs: 60_000 }).startRun({ experiment: 'bench-writer', name: `writer${Date.now()}`, config: {}, yaml: '', configHash: 'w' });
  const out: number[] = [];
  try {
    for (let i = 0; i < reps; i++) {
      await run.setTag('bench.i', String(i));
      out.push(...(await timeRequests(app, path, 1)));
    }
  } finally {
    await run.end('finished');
  }
  return out;
}

/** /runs under load while a run logs a point every second: each point is a commit, so the cache recomputes. */
async function livePhase(store: Store, url: string, connections: number, duration: number): Promise<PhaseResult> {
  const run = await createTracker(store, { flushIntervalMs: 100_000, heartbeatMs: 5_000 }).startRun({ experiment: 'bench-live', name: `live${Date.now()}`, config: {}, yaml: '', configHash: 'live' });
  let step = 0;
  const timer = setInterval(() => {
    run.logMetrics([{ key: 'train.loss', step: step++, value: 1 / (1 + step) }]);
    void run.flush();
  }, 1000);
  try {
    const phase = await runPhase(url, '/runs (live)', '/runs', connections, duration);
    clearInterval(timer);
    await run.flush();
    // the newest point must be in the very next answer: the cache never serves a state older than the request
    const res = await fetch(`${url}/api/runs?filter=${encodeURIComponent(`id = "${run.id}"`)}`);
    const body = (await res.json()) as { runs: { metrics: Record<string, { count: number }> }[] };
    const seen = body.runs[0]?.metrics['train.loss']?.count ?? 0;
    console.log(`live: the run logged ${step} points during the load; the next /api/runs answer holds ${seen}${seen === step ? '' : ' (STALE)'}`);
    return seen === step ? phase : { ...phase, failures: phase.failures + 1 };
  } finally {
    clearInterval(timer);
    await run.end('finished');
  }
}

/** Runs the benchmark and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  let opts: Options;
  try {
    opts = options(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`pnpm bench ui: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const { runs, steps, duration, connections, loadOnly, live, keep } = opts;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'kiln-bench-ui-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench.db');
  const reuse = keep !== undefined && existsSync(path);
  const store = await openStore(path);
  try {
    const t0 = performance.now();
    if (!reuse) await seedRunsBulk(store, runs);
    let long = (await listRuns(store, { experiment: 'long', sort: 'name', limit: 10 })).runs.map((r) => r.id);
    if (!loadOnly && long.length === 0) long = await seedLong(store, 10, steps);
    const total = (await listRuns(store, { limit: 1 })).total;
    console.log(`${reuse ? `reusing ${path}` : 'seeded'}: ${total.toLocaleString('en-US')} runs${long.length > 0 ? ` (10 of them x 3 metrics x ${steps.toLocaleString('en-US')} steps)` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (!loadOnly) await pageTimes(store, path, total, long, steps);

    const server = await startServer(path);
    try {
      console.log(`load: ${connections} connections for ${duration} s on each path in turn, the server in its own process ...`);
      const phases: PhaseResult[] = [];
      for (const [label, p] of [['static file', '/static/app.css'], ['/runs', '/runs'], ['/api/runs', '/api/runs']] as const) phases.push(await runPhase(server.url, label, p, connections, duration));
      const [staticPhase, ...pages] = phases;
      if (staticPhase === undefined) throw new Error('no static phase');
      const { lines, pass } = verdict(staticPhase, pages);
      if (live) phases.push(await livePhase(store, server.url, connections, duration));
      console.log(phaseTable(phases));
      for (const line of lines) console.log(line);
      console.log(`${pass ? 'PASS' : 'FAIL'}: zero errors and p99 <= 5x the static file's on /runs and /api/runs${live ? ' (the live row is for information)' : ''}`);
      if (!pass) process.exitCode = 1;
    } finally {
      server.stop();
    }
  } finally {
    store.close();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
