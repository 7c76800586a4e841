/**
 * A varied store for looking at every page (screenshots, the layout and chart tests): classification,
 * regression with large and tiny values, a multi-task run, a transfer pair, a TPE sweep whose trials
 * are runs (one pruned after its first epoch), a random + ASHA sweep, crashed, diverged, running
 * and hostile-named runs, and a run with many artifacts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTrials, claimTrial, createSweep, createTracker, finishTrial, flattenParams, setSweepStatus, type MetricPoint, type RunStatus, type Store } from '@kiln/core/store';
import { seedRun, smallConfig } from './seed.ts';
import { XSS } from './fixture.ts';

/** A run name with no spaces and far wider than a phone, as generated names sometimes are. */
export const LONG_NAME = `resnet18-augmented-${'x'.repeat(24)}-lr0.000316227766-batch512-cosine-warmup-seed1234567`;

/** Milliseconds between two steps of a showcase run. */
export const STEP_MS = 1250;

interface CurveRun {
  experiment: string;
  name: string;
  config: Record<string, unknown>;
  epochs: number;
  /** Each key's value at a 1-based epoch. */
  keys: Record<string, (epoch: number) => number>;
  status?: Exclude<RunStatus, 'running'> | 'running';
  reason?: string;
  sweepId?: string;
  trial?: number;
  parentRunId?: string;
  /** Batches per epoch logged as train.batch_loss (steps), so step and epoch axes differ. */
  batches?: number;
  /** Scales the batch loss so runs' curves differ. */
  batchScale?: number;
}

/** Records one run with the given curves (epoch-level points at the epoch's last step); returns its id. */
async function seedCurves(store: Store, r: CurveRun): Promise<string> {
  const run = await createTracker(store).startRun({
    experiment: r.experiment,
    name: r.name,
    config: r.config,
    yaml: `name: ${JSON.stringify(r.name)}\n`,
    configHash: `hash-${r.name}`,
    seed: 1,
    sweepId: r.sweepId ?? null,
    trial: r.trial ?? null,
    parentRunId: r.parentRunId ?? null,
  });
  await run.logParams(flattenParams(r.config));
  const batches = r.batches ?? 1;
  // Wall times as a real run's: 1.25 s per step from the start, so the wall-time axis spans minutes.
  const t0 = Date.now();
  const at = (step: number) => t0 + (step + 1) * STEP_MS;
  const points: MetricPoint[] = [];
  for (let e = 1; e <= r.epochs; e++) {
    const last = e * batches - 1;
    for (let b = 0; b < batches && batches > 1; b++) {
      const step = (e - 1) * batches + b;
      points.push({ key: 'train.batch_loss', step, epoch: e, value: (r.batchScale ?? 1) * (2 / (e + b / batches) + 0.05 * Math.sin(b)), wallTime: at(step) });
    }
    for (const [key, f] of Object.entries(r.keys)) points.push({ key, step: last, epoch: e, value: f(e), wallTime: at(last) });
  }
  run.logMetrics(points);
  if (r.status === 'running') await run.flush();
  else await run.end(r.status ?? 'finished', r.reason);
  return run.id;
}

const decay = (q: number) => (e: number) => Math.exp(-e * 0.3 * q);

/** Regression on house prices: MSE in the millions, the learning rate schedule in the ten-thousandths. */
function regression(name: string, lr: number, q: number): CurveRun {
  const d = decay(q);
  return {
    experiment: 'house-prices',
    name,
    config: { model: { layers: [{ type: 'dense', units: 64 }, { type: 'dense', units: 1 }] }, train: { epochs: 12, optimizer: { name: 'adam', learningRate: lr } } },
    epochs: 12,
    batches: 6,
    batchScale: 1 / q,
    keys: {
      'train.mse': (e) => 5e6 + 1.5e7 * d(e),
      'val.mse': (e) => 6e6 + 1.4e7 * d(e),
      'val.rmse': (e) => Math.sqrt(6e6 + 1.4e7 * d(e)),
      'test.rmse': () => Math.sqrt(6e6 + 1.4e7 * d(12)),
      lr: (e) => lr * 0.5 * (1 + Math.cos((Math.PI * (e - 1)) / 12)),
    },
  };
}

function multitask(name: string, q: number): CurveRun {
  const d = decay(q);
  return {
    experiment: 'penguins-multitask',
    name,
    config: { model: { layers: [{ type: 'dense', units: 32 }] }, heads: { species: 'softmax', mass: 'linear' }, train: { epochs: 10, optimizer: { name: 'adam', learningRate: 0.01 } } },
    epochs: 10,
    keys: {
      'train.species.accuracy': (e) => 1 - 0.7 * d(e),
      'val.species.accuracy': (e) => 0.96 - 0.7 * d(e),
      'train.mass.rmse': (e) => 300 + 3000 * d(e),
      'val.mass.rmse': (e) => 340 + 3000 * d(e),
      'test.species.accuracy': () => 0.95,
    },
  };
}

/** A sweep whose trials are runs with curves; trial `prunedAt1` stops after its first epoch. */
async function sweepWithRuns(store: Store, name: string, method: string, lrs: number[], prunedAt1: number): Promise<{ sweep: string; runs: string[] }> {
  const sweep = await createSweep(store, { name, experiment: `${name}-exp`, spec: {}, method, metric: 'val.loss', goal: 'minimize' });
  await addTrials(store, sweep, lrs.map((lr, i) => ({ number: i, params: { 'train.optimizer.learningRate': lr, 'model.layers[0].units': 16 << (i % 4) } })));
  const runs: string[] = [];
  for (const [i, lr] of lrs.entries()) {
    const t = await claimTrial(store, sweep, 'showcase:1:w1');
    if (t === null) break;
    const pruned = i === prunedAt1;
    const q = 0.4 + Math.abs(Math.log10(lr) + 2.5) ** -1 / 4;
    const d = decay(Math.min(q, 2));
    const run = await seedCurves(store, {
      experiment: `${name}-exp`,
      name: `${name}-trial-${i}`,
      config: smallConfig(lr, 16 << (i % 4)),
      epochs: pruned ? 1 : 6,
      keys: { 'train.loss': (e) => 2 * d(e) + 0.05, 'val.loss': (e) => 2 * d(e) + 0.1, 'val.accuracy': (e) => 0.97 - 0.9 * d(e) },
      status: pruned ? 'pruned' : 'finished',
      ...(pruned ? { reason: 'pruned after epoch 1' } : {}),
      sweepId: sweep,
      trial: i,
    });
    runs.push(run);
    await finishTrial(store, t.id, pruned ? { state: 'pruned', value: 2 * d(1) + 0.1, runId: run } : { state: 'complete', value: 2 * d(6) + 0.1, runId: run });
  }
  await setSweepStatus(store, sweep, 'finished');
  return { sweep, runs };
}

/** Writes a few artifact files with long and odd names to a run. */
async function manyArtifacts(store: Store): Promise<string> {
  const run = await createTracker(store).startRun({ experiment: 'iris', name: 'with-artifacts', config: smallConfig(0.01, 8), yaml: 'name: with-artifacts\n', configHash: 'hash-art', seed: 1 });
  run.logMetrics([{ key: 'val.accuracy', step: 0, epoch: 1, value: 0.9 }]);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-showcase-'));
  for (const name of ['model.json', 'weights.bin', `predictions-${'very-long-segment-'.repeat(6)}.csv`, 'confusion matrix (test).json']) {
    writeFileSync(join(dir, name), name.endsWith('.json') ? '{"labels":["a","b"],"matrix":[[3,1],[0,4]]}' : 'x,y\n1,2\n');
    await run.logArtifact(join(dir, name), name.startsWith('confusion') ? 'confusion' : 'file');
  }
  await run.end('finished');
  return run.id;
}

export interface Showcase {
  /** Runs to open one by one (run page). */
  runs: Record<'classification' | 'regression' | 'multitask' | 'crashed' | 'diverged' | 'running' | 'hostile' | 'long' | 'pruned' | 'transfer' | 'artifacts', string>;
  /** Compare sets: 3 classification runs, 15 sweep trials, hostile and long names, and 20 for the palette. */
  compare: Record<'three' | 'fifteen' | 'hostile' | 'twenty' | 'regression', string[]>;
  sweeps: string[];
}

/** Seeds the showcase into an empty store (about 60 runs, a second or two). */
export async function seedShowcase(store: Store): Promise<Showcase> {
  const conf = { labels: ['setosa', 'versicolor', 'virginica'], matrix: [[50, 0, 0], [0, 46, 4], [0, 3, 47]] };
  const cls: string[] = [];
  for (const [i, [lr, units, opt]] of ([[0.001, 32, 'adam'], [0.003, 64, 'adam'], [0.01, 128, 'adam'], [0.05, 32, 'sgd'], [0.1, 128, 'sgd']] as const).entries()) {
    // The first run logs no val.epochs_seen: on the compare page its chart lacks the run, and colours must not shift.
    const extraMetrics = i === 0 ? [] : ['val.epochs_seen'];
    cls.push(await seedRun(store, { experiment: 'iris', name: `iris-${opt}-${units}`, config: smallConfig(lr, units, opt), quality: 0.6 + i * 0.3, epochs: 20, confusion: conf, tags: { optimizer: opt }, extraMetrics }));
  }
  const reg: string[] = [];
  for (const [i, lr] of [0.0005, 0.001, 0.003].entries()) reg.push(await seedCurves(store, regression(`prices-lr${lr}`, lr, 0.5 + i * 0.4)));
  const multitask1 = await seedCurves(store, multitask('penguins-two-heads', 1));
  const transfer = await seedCurves(store, { ...multitask('penguins-finetuned', 1.6), parentRunId: multitask1 });
  const crashed = await seedCurves(store, { ...regression('prices-crashed', 0.01, 1), epochs: 3, status: 'crashed', reason: 'worker lost (no heartbeat for 60 s)' });
  const diverged = await seedRun(store, { experiment: 'iris', name: 'iris-diverged', config: smallConfig(3, 32, 'sgd'), status: 'failed', epochs: 4 });
  const running = await seedRun(store, { experiment: 'iris', name: 'iris-still-running', config: smallConfig(0.02, 64, 'rmsprop'), status: 'running', epochs: 5 });
  const hostile = await seedRun(store, { experiment: 'iris', name: XSS, config: { ...smallConfig(0.02, 16), note: `"'><img src=x onerror=alert(2)>` }, tags: { [XSS]: XSS }, extraMetrics: [`val.${XSS}`] });
  const long = await seedRun(store, { experiment: 'iris', name: LONG_NAME, config: smallConfig(0.000316227766, 512), quality: 1.3, epochs: 20 });
  const tpe = await sweepWithRuns(store, 'mnist-tpe', 'tpe', [0.3, 0.1, 0.05, 0.03, 0.02, 0.01, 0.007, 0.005, 0.003, 0.002, 0.001, 0.0007, 0.0005, 0.0003, 0.0002], 3);
  const asha = await sweepWithRuns(store, 'cifar-asha', 'random', [0.2, 0.02, 0.002, 0.0002, 0.05, 0.005], 1);
  const artifacts = await manyArtifacts(store);
  const twenty: string[] = [];
  for (let i = 0; i < 20; i++) twenty.push(await seedRun(store, { experiment: 'palette', name: `palette-${i}`, config: smallConfig(0.001 * (i + 1), 16), quality: 0.5 + i / 10, epochs: 3 }));
  return {
    runs: { classification: cls[2] ?? '', regression: reg[0] ?? '', multitask: multitask1, crashed, diverged, running, hostile, long, pruned: tpe.runs[3] ?? '', transfer, artifacts },
    compare: { three: cls.slice(0, 3), fifteen: tpe.runs, hostile: [hostile, long, cls[0] ?? ''], twenty, regression: [...reg, crashed] },
    sweeps: [tpe.sweep, asha.sweep],
  };
}
