// Training speed benchmark (issues 7, 17): the reference recipes (MNIST MLP, MNIST CNN, SpamAssassin
// LSTM) trained in one run by Kiln (the real runner, tracking on), a plain hand-written tfjs loop on
// the same backend with the same kernels, and PyTorch (torch_bench.py), at each thread count: seconds
// per epoch (median of epochs 2..n, training steps only; with --repeat, the median over repeats, the
// three run in rotating order), ratios and test accuracies; --profile adds where one epoch's time goes.
//
//   pnpm bench train [--tasks mlp,cnn,lstm] [--epochs N] [--threads 1,2] [--repeat N] [--no-torch] [--no-plain] [--profile]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '@kiln/core';
import { describeBlas } from '../backend/blas/setup.ts';
import { selectBackend, type SelectedBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import type { PreparedData } from '../data/types.ts';
import { trainPrepared } from '../run/train-pipeline.ts';
import { TRAIN_EPOCH_MEASURE } from '../train/loop.ts';
import { PLAIN_EPOCH_MEASURE, trainPlain } from './train-plain.ts';
import { printProfile, profileKernels } from './train-profile.ts';
import { printTable, type Row } from './train-report.ts';
import { BENCH_TASKS, median, medianAfterFirst, referenceSplit, type BenchTask } from './train-tasks.ts';
import { runTorch, TORCH_INSTALL_HINT, torchAvailable } from './train-torch.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../../..');
const REFERENCE_DIR = process.env.KILN_BENCH_REFERENCE ?? resolve(ROOT, '../shared/bench/reference');

interface Options {
  tasks: BenchTask[];
  epochs?: number;
  threads: number[];
  torch: boolean;
  plain: boolean;
  profile: boolean;
  repeat: number;
}

function parseArgs(args: string[]): Options {
  const opts: Options = { tasks: [...BENCH_TASKS], threads: [1, 2], torch: true, plain: true, profile: false, repeat: 1 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--tasks') {
      const names = value().split(',');
      opts.tasks = names.map((n) => BENCH_TASKS.find((t) => t.name === n) ?? fail(`unknown task ${n} (choose from ${BENCH_TASKS.map((t) => t.name).join(', ')})`));
    } else if (a === '--epochs') opts.epochs = positive(value(), a);
    else if (a === '--threads') opts.threads = value().split(',').map((t) => positive(t, a));
    else if (a === '--repeat') opts.repeat = positive(value(), a);
    else if (a === '--no-torch') opts.torch = false;
    else if (a === '--no-plain') opts.plain = false;
    else if (a === '--profile') opts.profile = true;
    else fail(`unknown option ${a}`);
  }
  return opts;
}

function fail(message: string): never {
  throw new Error(message);
}

function positive(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`${name} takes positive integers`);
  return n;
}

/** One Kiln run through trainPrepared (tracked in a throwaway store); per-epoch training seconds and the test accuracy. */
async function runKiln(task: BenchTask, data: PreparedData, backend: SelectedBackend, epochs: number, store: string): Promise<{ epochSeconds: number[]; accuracy: number }> {
  const overrides = [`train.epochs=${epochs}`, 'runtime.backend=wasm', `runtime.threads=${backend.threads}`];
  const loaded = loadPipelineFile(join(ROOT, task.pipeline), { overrides });
  if (!loaded.ok) fail(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  performance.clearMeasures(TRAIN_EPOCH_MEASURE);
  const result = await trainPrepared(loaded.pipeline, data, backend, { store, quiet: true, exitHandlers: false });
  if (result.status !== 'finished') fail(`kiln ${task.name}: run ${result.status} ${result.reason ?? ''}`);
  const epochSeconds = performance.getEntriesByName(TRAIN_EPOCH_MEASURE).map((m) => m.duration / 1000);
  return { epochSeconds, accuracy: result.metrics.test.accuracy ?? Number.NaN };
}

type Side = 'kiln' | 'plain' | 'torch';

/** The sides in the r-th rotation (K P T, P T K, T K P, ...), so a load that drifts during the run favours none. */
const rotation = (r: number, sides: Side[]): Side[] => sides.map((_, i) => sides[(i + r) % sides.length] ?? 'kiln');

interface Context {
  opts: Options;
  backend: SelectedBackend;
  store: string;
  useTorch: boolean;
}

/** One task at one thread count: every side `repeat` times, medians over the repeats. */
async function benchTask(ctx: Context, task: BenchTask, data: PreparedData): Promise<Row> {
  const { opts, backend, store } = ctx;
  const epochs = opts.epochs ?? task.epochs;
  const threads = backend.threads;
  const times: Record<Side, number[]> = { kiln: [], plain: [], torch: [] };
  const row: Row = { task: task.name, threads, epochs, kiln: Number.NaN, kilnAccuracy: Number.NaN };
  const sides: Side[] = ['kiln', ...(opts.plain ? (['plain'] as const) : []), ...(ctx.useTorch ? (['torch'] as const) : [])];
  const log = (side: string, epochSeconds: number[]) => process.stderr.write(`  ${task.name} ${threads} thr ${side}: epochs ${epochSeconds.map((t) => t.toFixed(3)).join(' ')}\n`);
  for (let r = 0; r < opts.repeat; r++) {
    for (const side of rotation(r, sides)) {
      if (side === 'kiln') {
        const kiln = await runKiln(task, data, backend, epochs, store);
        times.kiln.push(medianAfterFirst(kiln.epochSeconds));
        row.kilnAccuracy = kiln.accuracy;
        log('Kiln', kiln.epochSeconds);
      } else if (side === 'plain') {
        const plain = trainPlain(task.name, data, epochs);
        times.plain.push(medianAfterFirst(plain.epochSeconds));
        row.plainAccuracy = plain.testAccuracy;
        log('plain', plain.epochSeconds);
      } else {
        const torch = runTorch(REFERENCE_DIR, [task.torchTask], threads).results.get(task.torchTask);
        if (torch === undefined) fail(`torch_bench.py reported nothing for ${task.torchTask}`);
        times.torch.push(torch.secondsPerEpoch);
        row.torchAccuracy = torch.testMetric;
        process.stderr.write(`  ${task.name} ${threads} thr PyTorch: ${torch.secondsPerEpoch.toFixed(3)} s/epoch\n`);
      }
    }
  }
  row.kiln = median(times.kiln);
  if (times.plain.length > 0) row.plain = median(times.plain);
  if (times.torch.length > 0) row.torch = median(times.torch);
  return row;
}

/** Kernel time inside the second epoch's training steps, Kiln against plain tfjs: what Kiln adds shows as extra calls and time outside kernels. */
async function profileTask(task: BenchTask, data: PreparedData, backend: SelectedBackend, store: string): Promise<void> {
  const kiln = await profileKernels('wasm', TRAIN_EPOCH_MEASURE, () => runKiln(task, data, backend, 2, store));
  const plain = await profileKernels('wasm', PLAIN_EPOCH_MEASURE, async () => trainPlain(task.name, data, 2));
  printProfile(`${task.name}, ${backend.threads} thread(s)`, kiln, plain);
}

/** Prepared data per task (the reference split), shared by every thread count. */
export async function prepareTask(task: BenchTask, cacheDir: string): Promise<PreparedData> {
  const loaded = loadPipelineFile(join(ROOT, task.pipeline));
  if (!loaded.ok) fail(loaded.errors.map((e) => e.message).join('\n'));
  return prepareData(loaded.pipeline.spec, { baseDir: loaded.pipeline.baseDir, cacheDir, indices: referenceSplit(REFERENCE_DIR, task.dataset) });
}

/** Runs the benchmark with command-line arguments. */
export async function main(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const work = mkdtempSync(join(tmpdir(), 'kiln-bench-train-'));
  const store = join(work, 'kiln.db');
  const cacheDir = join(tmpdir(), 'kiln-bench-train-cache');
  const useTorch = opts.torch && torchAvailable();
  const rows: Row[] = [];
  const prepared = new Map<string, PreparedData>();
  const products: string[] = [];
  try {
    for (const threads of opts.threads) {
      // runtime.threads sets the BLAS's threads (backend/blas); XNNPACK's stay 1 in Node; PyTorch gets torch.set_num_threads.
      const backend = await selectBackend('wasm', { threads });
      const blas = backend.blas ? describeBlas(backend.blas) : 'xnnpack';
      products.push(`${threads} thread(s): ${blas}`);
      process.stderr.write(`backend ${backend.name} tfjs ${backend.version}, ${backend.threads} thread(s), products: ${blas}; load average ${(loadavg()[0] ?? Number.NaN).toFixed(2)}\n`);
      for (const task of opts.tasks) {
        const data = prepared.get(task.name) ?? (await prepareTask(task, cacheDir));
        prepared.set(task.name, data);
        rows.push(await benchTask({ opts, backend, store, useTorch }, task, data));
        if (opts.profile) await profileTask(task, data, backend, store);
      }
    }
    if (opts.torch && !useTorch) process.stdout.write(`${TORCH_INSTALL_HINT}\n`);
    printTable(rows, opts.repeat);
    process.stdout.write(`products: ${products.join('; ')}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
