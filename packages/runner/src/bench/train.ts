// Training speed benchmark, issue 7: the reference recipes (MNIST MLP, MNIST CNN, SpamAssassin
// LSTM) trained in one run by Kiln (the real runner, tracking on), a plain hand-written tfjs loop on
// the same backend, and PyTorch (torch_bench.py), with seconds per epoch (median of epochs 2..n,
// training steps only), ratios and test accuracies; --profile adds per-kernel times of one Kiln epoch.
//
//   pnpm exec tsx packages/runner/src/bench/train.ts [--tasks mlp,cnn,lstm] [--epochs N] [--threads N]
//        [--repeat N] [--no-torch] [--no-plain] [--profile]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '@kiln/core';
import { selectBackend, type SelectedBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import type { PreparedData } from '../data/types.ts';
import { trainPrepared } from '../run/train-pipeline.ts';
import { TRAIN_EPOCH_MEASURE } from '../train/loop.ts';
import { profileKernels, type KernelTime } from './train-profile.ts';
import { trainPlain } from './train-plain.ts';
import { BENCH_TASKS, medianAfterFirst, referenceSplit, type BenchTask } from './train-tasks.ts';
import { runTorch, TORCH_INSTALL_HINT, torchAvailable, type TorchResult } from './train-torch.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../../..');
const REFERENCE_DIR = process.env.KILN_BENCH_REFERENCE ?? resolve(ROOT, '../shared/bench/reference');

interface Options {
  tasks: BenchTask[];
  epochs?: number;
  threads?: number;
  torch: boolean;
  plain: boolean;
  profile: boolean;
  repeat: number;
}

function parseArgs(args: string[]): Options {
  const opts: Options = { tasks: [...BENCH_TASKS], torch: true, plain: true, profile: false, repeat: 1 };
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
    else if (a === '--threads') opts.threads = positive(value(), a);
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
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a positive integer`);
  return n;
}

interface Row {
  task: string;
  epochs: number;
  kiln: number;
  kilnAccuracy: number;
  plain?: number;
  plainAccuracy?: number;
  torch?: TorchResult;
}

/** One Kiln run through trainPrepared (tracked in a throwaway store); per-epoch training seconds and the test accuracy. */
async function runKiln(task: BenchTask, data: PreparedData, backend: SelectedBackend, epochs: number, store: string): Promise<{ epochSeconds: number[]; accuracy: number }> {
  const loaded = loadPipelineFile(join(ROOT, task.pipeline), { overrides: [`train.epochs=${epochs}`, 'runtime.backend=wasm'] });
  if (!loaded.ok) fail(loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  performance.clearMeasures(TRAIN_EPOCH_MEASURE);
  const result = await trainPrepared(loaded.pipeline, data, backend, { store, quiet: true, exitHandlers: false });
  if (result.status !== 'finished') fail(`kiln ${task.name}: run ${result.status} ${result.reason ?? ''}`);
  const epochSeconds = performance.getEntriesByName(TRAIN_EPOCH_MEASURE).map((m) => m.duration / 1000);
  return { epochSeconds, accuracy: result.metrics.test.accuracy ?? Number.NaN };
}

const f = (v: number | undefined, digits = 3) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits));
const ratio = (a: number, b: number | undefined) => (b === undefined ? '-' : (a / b).toFixed(2));

function printTable(rows: Row[], threads: { wasm: number; torch?: number }): void {
  const head = ['task', 'epochs', 'Kiln s/ep', 'plain tfjs s/ep', 'PyTorch s/ep', 'Kiln/PyTorch', 'Kiln/plain', 'acc Kiln', 'acc plain', 'acc PyTorch'];
  const lines = rows.map((r) => [r.task, String(r.epochs), f(r.kiln), f(r.plain), f(r.torch?.secondsPerEpoch), ratio(r.kiln, r.torch?.secondsPerEpoch), ratio(r.kiln, r.plain), f(r.kilnAccuracy, 4), f(r.plainAccuracy, 4), f(r.torch?.testMetric, 4)]);
  const out = [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  process.stdout.write(`\n${out}\n\nthreads: tfjs wasm ${threads.wasm}, PyTorch ${threads.torch ?? '-'}; PyTorch runs its own recipe epochs (MLP/CNN 5, LSTM 3); load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
}

function printProfile(task: string, epochSeconds: number, kernels: KernelTime[]): void {
  const total = kernels.reduce((s, k) => s + k.seconds, 0);
  process.stdout.write(`\nprofile, one Kiln epoch of ${task} (training + validation): ${f(epochSeconds)} s of training steps, ${f(total)} s inside kernels\n`);
  process.stdout.write('| kernel | calls | seconds | share of kernel time |\n| --- | --- | --- | --- |\n');
  for (const k of kernels.slice(0, 15)) process.stdout.write(`| ${k.kernel} | ${k.calls} | ${f(k.seconds)} | ${((100 * k.seconds) / total).toFixed(1)}% |\n`);
}

/** Runs the benchmark with command-line arguments. */
export async function main(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const backend = await selectBackend('wasm', opts.threads === undefined ? {} : { threads: opts.threads });
  const work = mkdtempSync(join(tmpdir(), 'kiln-bench-train-'));
  const store = join(work, 'kiln.db');
  const cacheDir = join(tmpdir(), 'kiln-bench-train-cache');
  const rows: Row[] = [];
  const useTorch = opts.torch && torchAvailable();
  let torchThreads: number | undefined;
  process.stderr.write(`backend ${backend.name} tfjs ${backend.version}, ${backend.threads} thread(s); load average ${(loadavg()[0] ?? Number.NaN).toFixed(2)}\n`);
  try {
    for (const task of opts.tasks) {
      const epochs = opts.epochs ?? task.epochs;
      const loaded = loadPipelineFile(join(ROOT, task.pipeline));
      if (!loaded.ok) fail(loaded.errors.map((e) => e.message).join('\n'));
      const data = await prepareData(loaded.pipeline.spec, { baseDir: loaded.pipeline.baseDir, cacheDir, indices: referenceSplit(REFERENCE_DIR, task.dataset) });
      const row: Row = { task: task.name, epochs, kiln: Number.POSITIVE_INFINITY, kilnAccuracy: Number.NaN };
      // With --repeat, Kiln and plain alternate (K P, P K, ...) and each keeps its fastest run, so a
      // machine load that drifts during the run does not favour whichever goes second.
      for (let r = 0; r < opts.repeat; r++) {
        for (const which of r % 2 === 0 ? ['kiln', 'plain'] : ['plain', 'kiln']) {
          if (which === 'kiln') {
            process.stderr.write(`${task.name}: Kiln ${epochs} epochs...\n`);
            const kiln = await runKiln(task, data, backend, epochs, store);
            row.kiln = Math.min(row.kiln, medianAfterFirst(kiln.epochSeconds));
            row.kilnAccuracy = kiln.accuracy;
            process.stderr.write(`  Kiln epochs ${kiln.epochSeconds.map((s) => s.toFixed(2)).join(' ')}\n`);
          } else if (opts.plain) {
            process.stderr.write(`${task.name}: plain tfjs ${epochs} epochs...\n`);
            const plain = trainPlain(task.name, data, epochs);
            row.plain = Math.min(row.plain ?? Number.POSITIVE_INFINITY, medianAfterFirst(plain.epochSeconds));
            row.plainAccuracy = plain.testAccuracy;
            process.stderr.write(`  plain epochs ${plain.epochSeconds.map((s) => s.toFixed(2)).join(' ')}\n`);
          }
        }
      }
      // PyTorch right after Kiln and plain on the same task, so all three see about the same machine load.
      if (useTorch) {
        process.stderr.write(`${task.name}: PyTorch (torch_bench.py)...\n`);
        const torch = runTorch(REFERENCE_DIR, [task.torchTask], backend.threads);
        torchThreads = torch.threads;
        row.torch = torch.results.get(task.torchTask);
      }
      if (opts.profile) {
        const { result, kernels } = await profileKernels('wasm', () => runKiln(task, data, backend, 1, store));
        printProfile(task.name, result.epochSeconds[0] ?? Number.NaN, kernels);
      }
      rows.push(row);
    }
    if (opts.torch && !useTorch) process.stdout.write(`${TORCH_INSTALL_HINT}\n`);
    printTable(rows, { wasm: backend.threads, torch: torchThreads });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
