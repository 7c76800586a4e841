// `pnpm bench serve [--seconds N] [--connections N]`: POST /predict of `kiln serve` (the real binary,
// its own process, micro-batching on) under 20 keep-alive connections, with 1 and 64 rows per request,
// beside calling the same model in this process (predictRows, one call after another) with the same
// batch sizes: rows/s and p50/p99 latency, then the ratio. The load generator shares the machine with
// the server, as a client on the same host would; the load average is printed with the numbers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '@kiln/core/paths';
import { loadRun } from '../artifacts/load.ts';
import { selectBackend } from '../backend/select.ts';
import type { Row } from '../data/table.ts';
import { predictRows } from '../predict/predict.ts';

const BIN = packagePath(import.meta.url, 'bin', 'kiln.mjs');
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Island', 'Sex'];

interface Result {
  rowsPerSecond: number;
  /** Served only: rows per model call in the server (micro-batching), from /health. */
  rowsPerCall?: number;
  p50: number;
  p99: number;
  calls: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

function summarize(latencies: number[], rows: number, seconds: number): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { rowsPerSecond: (latencies.length * rows) / seconds, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), calls: latencies.length };
}

/** Penguins with every measurement, as raw rows (species left out). */
function penguinRows(): Row[] {
  const all = JSON.parse(readFileSync(join(ROOT, 'pipelines/node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Row[];
  return all.filter((p) => FEATURES.slice(0, 4).every((f) => typeof p[f] === 'number')).map((p) => Object.fromEntries(FEATURES.map((f) => [f, p[f]])));
}

/** `batch` rows, cycling through the data from `from`. */
const batchOf = (rows: Row[], batch: number, from: number): Row[] => Array.from({ length: batch }, (_, i) => rows[(from + i) % rows.length] ?? {});

function kilnSync(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kiln ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Starts `kiln serve` on a free port; resolves with its URL. */
function startServer(ref: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve', ref, '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = / on (http:\/\/\S+) \(POST/.exec(out);
      // After start-up the server logs a line per request: stop reading them.
      if (m?.[1]) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ url: m[1], child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`kiln serve exited ${code}:\n${out}`)));
  });
}

/** One POST of `body` (a GET without one) over the agent's keep-alive connections; resolves with the status. */
function send(url: URL, agent: Agent, body: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const init = body === null ? { method: 'GET', agent } : { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } };
    const req = request(url, init, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** `connections` clients sending the bodies (each of `batch` rows; null: GET), back to back, for `seconds`. */
async function loadServer(target: URL, bodies: (string | null)[], batch: number, connections: number, seconds: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  // warm-up: connections open, the model's first calls compiled
  await Promise.all(Array.from({ length: connections }, (_, i) => send(target, agent, bodies[i % bodies.length] ?? null)));
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    for (let k = c; performance.now() < end; k += connections) {
      const t = performance.now();
      const status = await send(target, agent, bodies[k % bodies.length] ?? null);
      if (status !== 200) throw new Error(`${target.pathname} answered ${status}`);
      latencies.push(performance.now() - t);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return summarize(latencies, batch, elapsed);
}

/** predictRows on `batch` rows, one call after another, for `seconds`. */
function inProcess(loaded: Awaited<ReturnType<typeof loadRun>>, rows: Row[], batch: number, seconds: number): Result {
  const batches = Array.from({ length: 64 }, (_, i) => batchOf(rows, batch, i * batch));
  for (const b of batches.slice(0, 8)) predictRows(loaded, b);
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  for (let k = 0; performance.now() < end; k++) {
    const t = performance.now();
    predictRows(loaded, batches[k % batches.length] ?? []);
    latencies.push(performance.now() - t);
  }
  return summarize(latencies, batch, (performance.now() - start) / 1000);
}

const option = (args: string[], name: string, fallback: number) => {
  const i = args.indexOf(name);
  const v = i < 0 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
};

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const seconds = option(args, '--seconds', 20);
  const connections = option(args, '--connections', 20);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-serve-'));
  const env = { ...process.env, KILN_STORE: join(dir, 'kiln.db'), NO_COLOR: '1' };
  spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--js'], { cwd: ROOT, stdio: 'inherit' });
  const runId = (JSON.parse(kilnSync(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=3', '--json'], env)) as { runId: string }).runId;
  kilnSync(['model', 'register', runId, '--name', 'penguins'], env);
  const rows = penguinRows();
  const { url, child } = await startServer('penguins', env);
  const results: [number, Result, Result][] = [];
  try {
    await selectBackend('auto');
    const loaded = await loadRun(runId, env.KILN_STORE);
    const stats = async () => ((await (await fetch(`${url}/health`)).json()) as { stats: { rows: number; modelCalls: number } }).stats;
    // The HTTP floor: the same connections on a route that calls no model.
    const floor = await loadServer(new URL('/health', url), [null], 1, connections, seconds / 2);
    for (const batch of [1, 64]) {
      const before = await stats();
      const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify({ rows: batchOf(rows, batch, i * batch) }));
      const served = await loadServer(new URL('/predict', url), bodies, batch, connections, seconds);
      const after = await stats();
      const rowsPerCall = (after.rows - before.rows) / Math.max(1, after.modelCalls - before.modelCalls);
      results.push([batch, { ...served, rowsPerCall }, inProcess(loaded, rows, batch, seconds)]);
    }
    loaded.model.dispose();
    print(results, { seconds, connections, floor });
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(results: [number, Result, Result][], ctx: { seconds: number; connections: number; floor: Result }): void {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`kiln serve vs the same model in process: penguins MLP, ${ctx.seconds} s per cell, load average ${load}`);
  console.log('rows/request  where                           rows/s     p50 ms   p99 ms   calls  rows/model call');
  const line = (batch: number, where: string, r: Result) =>
    console.log(`${String(batch).padStart(12)}  ${where.padEnd(30)} ${r.rowsPerSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.calls).padStart(7)}  ${(r.rowsPerCall ?? batch).toFixed(1).padStart(15)}`);
  console.log(`${'-'.padStart(12)}  ${`GET /health, ${ctx.connections} connections`.padEnd(30)} ${`${ctx.floor.rowsPerSecond.toFixed(0)} req/s`.padStart(8)} ${ctx.floor.p50.toFixed(2).padStart(9)} ${ctx.floor.p99.toFixed(2).padStart(8)} ${String(ctx.floor.calls).padStart(7)}  (no model: the HTTP floor)`);
  for (const [batch, served, local] of results) {
    line(batch, `POST /predict, ${ctx.connections} connections`, served);
    line(batch, 'predictRows in process', local);
  }
  // Served latency includes waiting behind the other connections' requests; in process there is one caller.
  for (const [batch, served, local] of results)
    console.log(`${batch} row(s) a request: kiln serve gives ${(served.rowsPerSecond / local.rowsPerSecond).toFixed(2)}x the in-process rows/s; its p50 latency under ${ctx.connections} connections is ${(served.p50 / local.p50).toFixed(0)}x one bare call's`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
