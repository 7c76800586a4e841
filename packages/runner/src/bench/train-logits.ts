// `pnpm bench logits [--tasks mlp,cnn] [--repeat N]`: Kiln's training loop (no tracking) on the
// reference recipes with its cross-entropy fused with the output softmax on logits (the default)
// against the probability form (loop option fuseOutputs: false), alternating, on the same data and
// seed: wall and CPU milliseconds per step of each run's second epoch (medians over repeats), and
// the train loss and val accuracy each reaches, which should agree to float tolerance.
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile, type ResolvedPipeline } from '@kiln/core';
import { selectBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import type { PreparedData } from '../data/types.ts';
import { buildModel } from '../model/build.ts';
import { trainLoop } from '../train/loop.ts';
import { BENCH_TASKS, median, referenceSplit, type BenchTask } from './train-tasks.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const REFERENCE_DIR = process.env.KILN_BENCH_REFERENCE ?? resolve(ROOT, '../shared/bench/reference');

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Measured {
  wallMsPerStep: number;
  cpuMsPerStep: number;
  trainLoss: number;
  valAccuracy: number;
}

/** Two epochs of the recipe; times are the second epoch's training steps. */
async function trainOnce(pipeline: ResolvedPipeline, data: PreparedData, fuseOutputs: boolean): Promise<Measured> {
  const spec = { ...pipeline.spec.train, epochs: 2 };
  const model = buildModel(pipeline.spec.model, data, pipeline.spec.seed);
  let [wall, cpu, steps] = [0, 0, 0];
  try {
    const r = await trainLoop({
      model,
      spec,
      data: { ...data, task: data.target.type },
      seed: pipeline.spec.seed,
      fuseOutputs,
      lossEvery: 1_000_000,
      hooks: {
        onEpochStart: (epoch, batches) => {
          [wall, cpu, steps] = [performance.now(), cpuNow(), batches];
        },
        // With lossEvery past the epoch, the only onBatch is at its last step: the steps' end.
        onBatch: () => {
          [wall, cpu] = [performance.now() - wall, cpuNow() - cpu];
        },
      },
    });
    const last = r.history.at(-1);
    return { wallMsPerStep: wall / steps, cpuMsPerStep: cpu / steps, trainLoss: last?.train.loss ?? Number.NaN, valAccuracy: last?.val.accuracy ?? Number.NaN };
  } finally {
    model.dispose();
  }
}

function parseArgs(args: string[]): { tasks: BenchTask[]; repeat: number } {
  let tasks = BENCH_TASKS.filter((t) => t.name !== 'lstm');
  let repeat = 3;
  for (let i = 0; i < args.length; i++) {
    const [flag, value = ''] = [args[i], args[i + 1]];
    i++;
    if (flag === '--tasks') tasks = value.split(',').map((n) => BENCH_TASKS.find((t) => t.name === n) ?? fail(`unknown task ${n}`));
    else if (flag === '--repeat' && Number(value) >= 1) repeat = Number(value);
    else fail(`unknown option ${flag ?? ''} (use --tasks mlp,cnn,lstm, --repeat N)`);
  }
  return { tasks, repeat };
}

function fail(message: string): never {
  throw new Error(message);
}

const f = (v: number, digits = 3) => v.toFixed(digits);

/** Runs the benchmark with command-line arguments. */
export async function main(args: string[]): Promise<void> {
  const { tasks, repeat } = parseArgs(args);
  await selectBackend('wasm', { threads: 1 });
  const cacheDir = join(tmpdir(), 'kiln-bench-train-cache');
  const out = process.stdout;
  out.write(`load average at the start ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n\n`);
  out.write('| task | loss on | wall ms/step | CPU ms/step | train loss | val accuracy |\n| --- | --- | --- | --- | --- | --- |\n');
  for (const task of tasks) {
      const loaded = loadPipelineFile(join(ROOT, task.pipeline));
      if (!loaded.ok) fail(loaded.errors.map((e) => e.message).join('\n'));
      const data = await prepareData(loaded.pipeline.spec, { baseDir: loaded.pipeline.baseDir, cacheDir, indices: referenceSplit(REFERENCE_DIR, task.dataset) });
      const runs: Record<'logits' | 'probabilities', Measured[]> = { logits: [], probabilities: [] };
      for (let r = 0; r < repeat; r++) {
        // Alternating which goes first, so a load that drifts favours neither.
        const order = r % 2 === 0 ? (['logits', 'probabilities'] as const) : (['probabilities', 'logits'] as const);
        for (const side of order) runs[side].push(await trainOnce(loaded.pipeline, data, side === 'logits'));
      }
      for (const [side, list] of Object.entries(runs)) {
        const m = (k: keyof Measured) => median(list.map((x) => x[k]));
        out.write(`| ${task.name} | ${side} | ${f(m('wallMsPerStep'))} | ${f(m('cpuMsPerStep'))} | ${f(m('trainLoss'), 6)} | ${f(m('valAccuracy'), 4)} |\n`);
      }
  }
  out.write(`\n1 thread, wasm; medians of ${repeat} runs; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
