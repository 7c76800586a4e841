/** Training one pipeline end to end: backend, data, model, tracked training loop, test evaluation, artifacts. */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ResolvedPipeline } from '@kiln/core';
import { installExitHandlers, openStore, SIGNAL_EXIT, type RunHandle, type StopSignal, type Store } from '@kiln/core/store';
import { runtimeOptions, selectBackend, type SelectedBackend } from '../backend/select.ts';
import { describeBlas } from '../backend/blas/setup.ts';
import { prepareData } from '../data/prepare.ts';
import type { PreparedData } from '../data/types.ts';
import { buildModel } from '../model/build.ts';
import { buildFromRun } from '../model/transfer.ts';
import { loadRun } from '../artifacts/load.ts';
import { dataInputs, dataTargets, makeInputAugmenter } from '../data/inputs.ts';
import { classWeightParams, classWeightsOf } from '../train/class-weights.ts';
import { loopHeads } from '../train/heads.ts';
import { trainLoop, type LoopResult } from '../train/loop.ts';
import type { EpochMetrics } from '../train/monitor.ts';
import { logCheckpoints, logModelArtifacts, writeCheckpoint } from './artifacts.ts';
import { dataWarningLines, selectedColumnParams } from './data-notes.ts';
import { logSplit } from './split-file.ts';
import { evaluateTest } from './test-eval.ts';
import { createReporter, type Reporter } from './progress.ts';
import type { RunResult, RunStatus } from './result.ts';
import { epochPoints, startTrackedRun } from './tracking.ts';
import { makeWorkDir } from './workdir.ts';
import { systemPoints, systemSampler } from './system-metrics.ts';
import { resolveFromModel } from './from-model.ts';

export type { RunResult } from './result.ts';

export interface TrainOptions {
  /** Store URL or path (default: KILN_STORE, else .kiln/kiln.db). */
  store?: string;
  /** Print nothing but errors. */
  quiet?: boolean;
  /** Machine output: no human output here; the caller prints the RunResult as JSON. */
  json?: boolean;
  sweep?: { sweepId: string; trial: number };
  /** This run is fold `fold` (1-based) of the k-fold parent run `parentId` (run/kfold). */
  foldOf?: { parentId: string; fold: number };
  /** After each epoch; 'stop' prunes the run (a sweep pruner's verdict). */
  onEpoch?: (epoch: number, metrics: EpochMetrics) => 'stop' | void | Promise<'stop' | void>;
  signal?: AbortSignal;
  /** Where prepared data is cached (default beside the store, or $KILN_CACHE_DIR). */
  cacheDir?: string;
  /** Install SIGINT/SIGTERM handlers that mark the run killed (default true; sweeps running trials in-process may pass false). */
  exitHandlers?: boolean;
}

/** Trains, evaluates and records one pipeline; a diverged, pruned or aborted run is a result, other errors are thrown after the run is marked failed. */
export async function trainPipeline(pipeline: ResolvedPipeline, opts: TrainOptions = {}): Promise<RunResult> {
  const { runtime } = pipeline.spec;
  const backend = await selectBackend(runtime.backend, runtimeOptions(runtime));
  const quiet = opts.quiet === true || opts.json === true;
  if (!quiet) process.stderr.write(`backend: ${backend.name} (tfjs ${backend.version}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'})${backend.blas ? `, BLAS: ${describeBlas(backend.blas)}` : ''}\n`);
  const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), ...(opts.store ? { store: opts.store } : {}) });
  if (!quiet) process.stderr.write(dataWarningLines(data.state));
  return trainPrepared(pipeline, data, backend, opts);
}

/** The part of trainPipeline after data preparation; tests call it with synthetic data. */
export async function trainPrepared(pipeline: ResolvedPipeline, data: PreparedData, backend: SelectedBackend, opts: TrainOptions = {}): Promise<RunResult> {
  const { spec } = pipeline;
  // Class names are known only now that the data is loaded: a bad train.classWeights is a usage error before any run is recorded.
  const classWeights = classWeightParams(dataTargets(data), classWeightsOf(spec.train.classWeights, dataTargets(data)));
  const resolved = await resolveFromModel(spec.model, opts.store);
  const model = spec.model.from ? await buildFromRun(resolved.spec, data, spec.seed, (runId, path) => loadRun(runId, opts.store, path)) : buildModel(spec.model, data, spec.seed);
  let store: Store | undefined;
  let run: RunHandle | undefined;
  let removeHandlers = () => {};
  // A signal or a stop request stops the loop at its next step, so the run ends below like an abort (metrics flushed,
  // temp dir removed, store closed) before the process exits with the signal's code.
  const stop = new AbortController();
  let received: StopSignal | undefined;
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const workDir = await makeWorkDir();
  try {
    store = await openStore(opts.store);
    run = await startTrackedRun({ store, pipeline, backend, dataFingerprint: data.fingerprint, sweep: opts.sweep, foldOf: opts.foldOf, fromModel: resolved.from });
    await run.logParams(classWeights);
    await run.logParams(selectedColumnParams(data.state));
    // kiln delete --force asks through the store (it may run on another machine): stop like a signal would.
    run.onStopRequest((why) => stop.abort(why));
    if (opts.exitHandlers !== false) {
      const onStop = (sig: StopSignal) => stop.abort(`received ${(received = sig)}`);
      removeHandlers = installExitHandlers(run, { stop: onStop, cleanup: () => rmSync(workDir, { recursive: true, force: true }) });
    }
    return await trainTracked(pipeline, data, model, run, store, workDir, { ...opts, signal });
  } catch (err) {
    if (run && !run.ended) await run.end('failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  } finally {
    removeHandlers();
    model.dispose();
    store?.close();
    await rm(workDir, { recursive: true, force: true });
    if (received) process.exit(SIGNAL_EXIT[received]);
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
  // CPU, memory and elapsed time, sampled at each epoch end only (sys/* metrics).
  const system = systemSampler();

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
        system.epochStart();
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
        run.logMetrics([...epochPoints(epoch, lastStep, metrics, seconds), ...systemPoints(system.sample(), epoch, lastStep)]);
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

  // The run's summary is the kept model's: val.* (and train.*) of the epoch whose weights it ends with, test.* of that model.
  const kept = loop.history[loop.keptEpoch - 1];
  const { train = {}, val = {} } = ok ? (kept ?? {}) : (loop.history.at(-1) ?? {});
  const { test, confusion, classReports } = ok && data.test.n > 0 ? await evaluateTest({ model, data, heads, inputs, run, workDir, step: loop.steps, epoch: loop.epochs }) : { test: {}, confusion: undefined, classReports: undefined };
  // predict needs each output's name and target to label its results
  const state = heads.length > 1 ? { ...data.state, outputs: heads.map((h) => ({ name: h.name, target: h.target })) } : data.state;
  if (ok) await logModelArtifacts(run, model, state, workDir);
  await logSplit(run, data, workDir);
  await logCheckpoints(run, workDir, checkpoints);
  if (ok && kept) await run.recordKept(loop.keptEpoch, keptValues(train, val, test));
  const warnings = [...(data.state.warnings ?? []), ...loop.warnings];
  if (warnings.length > 0) await run.setTag('kiln.warning', warnings.join('; '));
  const reason = stopReason(loop, status, opts.signal);
  await run.end(status, reason && status !== 'finished' ? reason : undefined);

  const result: RunResult = {
    runId: run.id,
    status,
    ...(reason ? { reason } : {}),
    bestEpoch: loop.bestEpoch,
    monitor: loop.monitor,
    ...(ok && kept ? { keptEpoch: loop.keptEpoch } : {}),
    restored: loop.restored,
    epochs: loop.epochs,
    ...(warnings.length > 0 ? { warnings } : {}),
    seconds,
    epochSeconds,
    metrics: { train, val, test },
    ...(confusion ? { confusion } : {}),
    ...(classReports ? { classReports } : {}),
    // A PostgreSQL (or libsql://) store keeps the files itself: there is no folder to point at.
    artifactsDir: store.artifactsIn === 'store' ? `in the store (${store.displayUrl})` : join(store.artifactsDir, run.id),
  };
  reporter.summary(result);
  return result;
}

/** The kept model's summary values under their store keys (train.x, val.x, test.x). */
function keptValues(train: Record<string, number>, val: Record<string, number>, test: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [split, values] of Object.entries({ train, val, test })) {
    for (const [k, v] of Object.entries(values)) out[`${split}.${k}`] = v;
  }
  return out;
}

/** Why the run stopped: the loop's reason, after the signal's (`received SIGINT`) when a signal stopped it. */
function stopReason(loop: LoopResult, status: RunStatus, signal: AbortSignal | undefined): string | undefined {
  return status === 'killed' && typeof signal?.reason === 'string' ? `${signal.reason} (${loop.reason ?? 'stopped'})` : loop.reason;
}
