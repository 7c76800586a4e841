/**
 * Tracker UI benchmark: runs-page server time over 10,000 runs (target <= 150 ms), the compare page
 * for 10 runs x 3 metrics x 100,000 steps rendered in Chromium (target <= 1.5 s), and a bounded
 * loopback load test (autocannon, 50 connections, default 60 s) on the runs, run and compare pages.
 *
 *   pnpm bench ui [--runs 10000] [--steps 100000] [--duration 60] [--connections 50] [--keep DIR]
 *
 * --keep DIR keeps the seeded store in DIR and reuses it on the next run (seeding 10k runs takes minutes).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTracker, listRuns, openStore, type Store } from '@kiln/core/store';
import { createApp, serveUi } from '../index.ts';
import { launchChromium } from '../testing/chromium.ts';
import { seedRuns } from '@kiln/core/testing';

interface CannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
}
type Cannon = (opts: { url: string; connections: number; duration: number; requests: { path: string }[] }) => Promise<CannonResult>;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
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

/** Runs the benchmark and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const [runs, steps] = [arg(args, 'runs', 10_000), arg(args, 'steps', 100_000)];
  const [duration, connections] = [arg(args, 'duration', 60), arg(args, 'connections', 50)];
  const keepIdx = args.indexOf('--keep');
  const keep = keepIdx >= 0 ? args[keepIdx + 1] : undefined;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'kiln-bench-ui-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench.db');
  const reuse = keep !== undefined && existsSync(path);
  const store = await openStore(path);
  try {
    let t0 = performance.now();
    let long: string[];
    if (reuse) {
      long = (await listRuns(store, { experiment: 'long', sort: 'name', limit: 10 })).runs.map((r) => r.id);
      console.log(`reusing ${path}`);
    } else {
      await seedRuns(store, runs);
      long = await seedLong(store, 10, steps);
      console.log(`seeded ${runs} runs + 10 runs x 3 metrics x ${steps.toLocaleString('en-US')} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }

    const app = createApp({ store });
    const filter = encodeURIComponent('metrics.val.accuracy > 0.5 and params.train.optimizer.name = "adam"');
    for (const [label, p] of [['runs page (default)', '/runs'], ['runs page (filter + sort by metric)', `/runs?filter=${filter}&sort=-metrics.val.accuracy`], ['runs page (page 100)', '/runs?page=100']] as const) {
      await timeRequests(app, p, 2);
      console.log(`${label}, ${runs + 10} runs, server time: ${stats(await timeRequests(app, p, 15))} (target <= 150 ms)`);
    }
    const comparePath = `/compare?runs=${long.join(',')}`;
    console.log(`compare page HTML, 10 runs, server time: ${stats(await timeRequests(app, comparePath, 10))}`);

    const server = await serveUi({ store: path, port: 0, log: () => undefined });
    try {
      t0 = performance.now();
      const times = await renderCompare(`${server.url}${comparePath}`, 5);
      console.log(`compare page in Chromium, 10 runs x 3 metrics x ${steps.toLocaleString('en-US')} steps, navigation to all charts drawn: first ${times[0]?.toFixed(0) ?? '–'} ms; ${stats(times.slice(1))} (target <= 1500 ms)`);
      const requests = [{ path: '/runs' }, { path: `/runs/${long[0]}` }, { path: comparePath }, { path: '/api/runs?limit=50' }];
      console.log(`load: ${connections} connections for ${duration} s on ${requests.map((r) => r.path.split('?')[0]).join(', ')} ...`);
      const r = await autocannon({ url: server.url, connections, duration, requests });
      const failures = r.errors + r.timeouts + r.non2xx;
      console.log(`load: ${r.requests.total} requests (${r.requests.average.toFixed(1)}/s), errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}; latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`);
      if (failures > 0) process.exitCode = 1;
    } finally {
      await server.close();
    }
  } finally {
    store.close();
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
