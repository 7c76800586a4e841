/** Training one pipeline end to end: backend, data, model, tracked training loop, test evaluation, artifacts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ResolvedPipeline } from '@kiln/core';
import { installExitHandlers, openStore, type RunHandle, type Store } from '@kiln/core/store';
import { selectBackend, type SelectedBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import type { PreparedData } from '../data/types.ts';
import { buildModel } from '../model/build.ts';
import { buildFromRun } from '../model/transfer.ts';
import { dataInputs, dataTargets, makeInputAugmenter } from '../data/inputs.ts';
import { loopHeads } from '../train/heads.ts';
import { trainLoop, type LoopResult } from '../train/loop.ts';
import type { EpochMetrics } from '../train/monitor.ts';
import { logCheckpoints, logModelArtifacts, writeCheckpoint } from './artifacts.ts';
import { evaluateTest } from './test-eval.ts';
import { createReporter, type Reporter } from './progress.ts';
import type { RunResult, RunStatus } from './result.ts';
import { epochPoints, startTrackedRun } from './tracking.ts';

export type { RunResult } from './result.ts';

export interface TrainOptions {
  /** Store URL or path (default: KILN_STORE, else .kiln/kiln.db). */
  store?: string;
  /** Print nothing but errors. */
  quiet?: boolean;
  /** Machine output: no human output here; the caller prints the RunResult as JSON. */
  json?: boolean;
  sweep?: { sweepId: string; trial: number };
  /** After each epoch; 'stop' prunes the run (a sweep pruner's verdict). */
  onEpoch?: (epoch: number, metrics: EpochMetrics) => 'stop' | void | Promise<'stop' | void>;
  signal?: AbortSignal;
  /** Where prepared data is cached (default .kiln/cache). */
  cacheDir?: string;
  /** Install SIGINT/SIGTERM handlers that mark the run killed (default true; sweeps running trials in-process may pass false). */
  exitHandlers?: boolean;
}

/** Trains, evaluates and records one pipeline; a diverged, pruned or aborted run is a result, other errors are thrown after the run is marked failed. */
export async function trainPipeline(pipeline: ResolvedPipeline, opts: TrainOptions = {}): Promise<RunResult> {
  const { runtime } = pipeline.spec;
  const backend = await selectBackend(runtime.backend, runtime.threads === 'auto' ? {} : { threads: runtime.threads });
  const quiet = opts.quiet === true || opts.json === true;
  if (!quiet) process.stderr.write(`backend: ${backend.name} (tfjs ${backend.version}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'})\n`);
  const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}) });
  return trainPrepared(pipeline, data, backend, opts);
}

/** The part of trainPipeline after data preparation; tests call it with synthetic data. */
export async function trainPrepared(pipeline: ResolvedPipeline, data: PreparedData, backend: SelectedBackend, opts: TrainOptions = {}): Promise<RunResult> {
  const { spec } = pipeline;
  const model = spec.model.from ? await buildFromRun(spec.model, data, spec.seed, opts.store) : buildModel(spec.model, data, spec.seed);
  let store: Store | undefined;
  let run: RunHandle | undefined;
  let removeHandlers = () => {};
  const workDir = await mkdtemp(join(tmpdir(), 'kiln-run-'));
  try {
    store = await openStore(opts.store);
    run = await startTrackedRun({ store, pipeline, backend, dataFingerprint: data.fingerprint, sweep: opts.sweep });
    if (opts.exitHandlers !== false) removeHandlers = installExitHandlers(run);
    return await trainTracked(pipeline, data, model, run, store, workDir, opts);
  } catch (err) {
    if (run && !run.ended) await run.end('failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  } finally {
    removeHandlers();
    model.dispose();
    store?.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

const STATUS: Record<LoopResult['status'], RunStatus> = { finished: 'finished', 'early-stopped': 'finished', pruned: 'pruned', diverged: 'failed', aborted: 'killed' };

async function trainTracked(pipeline: ResolvedPipeline, data: PreparedData, model: LayersModel, run: RunHandle, store: Store, workDir: string, opts: TrainOptions): Promise<RunResult> {
  const { spec } = pipeline;
  const task = data.target.type;
  const heads = loopHeads(spec, dataTargets(data));
  const inputs = dataInputs(data);
  const firstMetric = heads[0]?.metrics[0] ? `${heads[0].prefix}${heads[0].metrics[0]}` : undefined;
  const monitor = spec.train.earlyStopping?.monitor ?? spec.train.checkpoint?.monitor ?? (data.val.n > 0 ? (firstMetric ? `val.${firstMetric}` : 'val.loss') : 'train.loss');
  const reporter: Reporter = createReporter({ quiet: opts.quiet === true || opts.json === true, tty: process.stderr.isTTY === true, monitor, epochs: spec.train.epochs });
  const checkpoints = new Set<string>();
  const epochSeconds: number[] = [];
  let epochStarted = 0;
  let lastStep = 0;
  // Each epoch's points are flushed while the next epoch trains: at most one write in flight, its error surfacing a step later.
  let flushing: Promise<void> = Promise.resolve();
  const started = performance.now();

  const loop = await trainLoop({
    model,
    spec: spec.train,
    data: { ...data, task, inputs, heads },
    seed: spec.seed,
    signal: opts.signal,
    ...(spec.model.from?.unfreeze ? { unfreeze: spec.model.from.unfreeze } : {}),
    augment: makeInputAugmenter(spec.data.features, data.state, spec.seed),
    hooks: {
      onEpochStart: (epoch, batches) => {
        epochStarted = performance.now();
        reporter.epochStart(epoch, batches);
      },
      onStep: (step) => reporter.step(step),
      onBatch: (step, loss, epoch) => {
        lastStep = step;
        run.logMetrics([{ key: 'train.batch_loss', step, epoch, value: loss }]);
        reporter.batch(step, loss);
      },
      onEpoch: async (epoch, metrics) => {
        const seconds = (performance.now() - epochStarted) / 1000;
        epochSeconds.push(seconds);
        run.logMetrics(epochPoints(epoch, lastStep, metrics, seconds));
        reporter.epochEnd(epoch, metrics, seconds);
        await flushing;
        flushing = run.flush();
        flushing.catch(() => undefined); // handled: awaited (and rethrown) after the next epoch, not an unhandled rejection now
        return opts.onEpoch?.(epoch, metrics);
      },
      onCheckpoint: async (epoch) => void checkpoints.add(await writeCheckpoint(model, workDir, epoch, spec.train.checkpoint?.saveBestOnly !== false)),
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await flushing;
  const status = STATUS[loop.status];
  const ok = status === 'finished' || status === 'pruned';

  const finalEpoch = loop.restored ? loop.bestEpoch : loop.epochs;
  const val = loop.history[finalEpoch - 1]?.val ?? {};
  const { test, confusion } = ok && data.test.n > 0 ? await evaluateTest({ model, data, heads, inputs, run, workDir, step: loop.steps, epoch: loop.epochs }) : { test: {}, confusion: undefined };
  // predict needs each output's name and target to label its results
  const state = heads.length > 1 ? { ...data.state, outputs: heads.map((h) => ({ name: h.name, target: h.target })) } : data.state;
  if (ok) await logModelArtifacts(run, model, state, workDir);
  await logCheckpoints(run, workDir, checkpoints);
  await run.end(status, loop.reason && status !== 'finished' ? loop.reason : undefined);

  const result: RunResult = {
    runId: run.id,
    status,
    ...(loop.reason ? { reason: loop.reason } : {}),
    bestEpoch: loop.bestEpoch,
    epochs: loop.epochs,
    seconds,
    epochSeconds,
    metrics: { val, test },
    ...(confusion ? { confusion } : {}),
    artifactsDir: join(store.artifactsDir, run.id),
  };
  reporter.summary(result);
  return result;
}
