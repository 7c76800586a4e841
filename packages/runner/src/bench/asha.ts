// `pnpm bench asha`: the MNIST MLP sweep (learning rate x hidden units, 20 TPE trials, 2 workers)
// run twice through the real CLI, without pruning and with ASHA; prints each one's best validation
// accuracy and the epochs its trials trained in total (pruned ones up to where they stopped).
// Trials train 27 epochs by default (the pipeline's 9 leave ASHA only rungs 1, 3 and 9 with
// factor 3, so the first trials at each rung, promoted for lack of rivals, cost half the budget).
//
//   pnpm exec tsx packages/runner/src/bench/asha.ts [--epochs N] [--trials N] [--parallel N] [--min-resource N] [--factor N]
//     [--store PATH] [--set PATH=VALUE ...]   (--set is passed to both sweeps, e.g. data.source.limit=3000)
//     [--baseline SWEEP_ID]                   (reuse an unpruned sweep already in --store instead of running it)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@kiln/core';
import { trialCurves } from '../sweep/store.ts';
import type { SweepSummary } from '../sweep/report.ts';
import { showSweep } from '../sweep/run-sweep.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/kiln.mjs', import.meta.url));
const PIPELINE = 'pipelines/mnist-mlp-sweep.yaml';

interface Options {
  epochs: number;
  trials?: number;
  parallel?: number;
  minResource: number;
  factor: number;
  store: string;
  sets: string[];
  baseline?: string;
}

function parseOptions(args: string[]): Options {
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = (name: string) => (get(name) === undefined ? undefined : Number(get(name)));
  return {
    epochs: n('epochs') ?? 27,
    trials: n('trials'),
    parallel: n('parallel'),
    minResource: n('min-resource') ?? 1,
    factor: n('factor') ?? 3,
    store: get('store') ?? join(mkdtempSync(join(tmpdir(), 'kiln-bench-asha-')), 'kiln.db'),
    baseline: get('baseline'),
    sets: args.flatMap((a, i) => {
      const value = args[i + 1];
      return a === '--set' && value !== undefined ? [value] : [];
    }),
  };
}

interface Outcome {
  label: string;
  summary: SweepSummary;
  epochs: number;
  seconds: number;
}

/** Runs one sweep through `kiln sweep --json` and returns its summary. */
function runSweepCli(args: string[]): Promise<SweepSummary> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'sweep', PIPELINE, ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as SweepSummary) : reject(new Error(`kiln sweep exited ${code}`))));
  });
}

/** Epochs trained by the sweep's trials: the points of each trial's per-epoch metric curve. */
async function epochsUsed(storeUrl: string, sweepId: string, metric: string): Promise<number> {
  const store = await openStore(storeUrl);
  try {
    const curves = await trialCurves(store, sweepId, metric);
    return [...curves.values()].reduce((n, c) => n + c.length, 0);
  } finally {
    store.close();
  }
}

async function runOne(label: string, pruner: string, o: Options): Promise<Outcome> {
  const args = ['--store', o.store, '--set', `sweep.pruner=${pruner}`];
  args.push('--set', `train.epochs=${o.epochs}`);
  for (const s of o.sets) args.push('--set', s);
  if (o.trials !== undefined) args.push('--trials', String(o.trials));
  if (o.parallel !== undefined) args.push('--parallel', String(o.parallel));
  process.stderr.write(`${label}: kiln sweep ${PIPELINE} ${args.join(' ')}\n`);
  const t0 = performance.now();
  const summary = await runSweepCli(args);
  const seconds = (performance.now() - t0) / 1000;
  return { label, summary, seconds, epochs: await epochsUsed(o.store, summary.sweepId, summary.metric) };
}

/** An unpruned sweep that already ran in the store (its wall time is unknown here). */
async function stored(label: string, sweepId: string, o: Options): Promise<Outcome> {
  const summary = await showSweep(sweepId, { store: o.store, quiet: true });
  return { label, summary, seconds: Number.NaN, epochs: await epochsUsed(o.store, summary.sweepId, summary.metric) };
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)}%`);

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const o = parseOptions(args);
  const full = o.baseline ? await stored('no pruning', o.baseline, o) : await runOne('no pruning', '{type: none}', o);
  const asha = await runOne('ASHA', `{type: asha, minResource: ${o.minResource}, reductionFactor: ${o.factor}}`, o);
  const rows = [full, asha].map((r) => {
    const c = r.summary.counts;
    return `${r.label.padEnd(11)} best val.accuracy ${pct(r.summary.best?.value).padStart(7)}  epochs ${String(r.epochs).padStart(4)}  trials ${c.complete} complete / ${c.pruned} pruned / ${c.failed} failed  ${r.seconds.toFixed(0)} s  (sweep ${r.summary.sweepId})`;
  });
  const gap = ((full.summary.best?.value ?? 0) - (asha.summary.best?.value ?? 0)) * 100;
  const ratio = asha.epochs / Math.max(1, full.epochs);
  process.stdout.write(
    [
      ...rows,
      `ASHA is ${gap.toFixed(2)} points below the unpruned best (target <= 0.5) using ${(ratio * 100).toFixed(1)}% of its epochs (target <= 33.3%): ${gap <= 0.5 && ratio <= 1 / 3 ? 'PASS' : 'FAIL'}`,
      `store: ${o.store}`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
