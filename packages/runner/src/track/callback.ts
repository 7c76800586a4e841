/**
 * kilnCallback: tracks a tfjs-layers `model.fit` / `fitDataset` into a run, without Kiln loading
 * TensorFlow.js: the user's tfjs trains, Kiln reads numbers and configs and receives saved bytes.
 * It is a subclass of the user's own tf.Callback when their tfjs-layers is found (see
 * tfjs-host.ts), so fit hands it the model; else a plain object of `on*` functions (tfjs'
 * CustomCallbackArgs), which records metrics but needs `{ model }` for params and the saved model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModelFiles } from './model-files.ts';
import { modelParams, type FitModel, type FitParams } from './model-params.ts';
import type { Run } from './run.ts';
import { loadedCallbackClass, resolveLogs } from './tfjs-host.ts';
import { systemSampler } from '../run/system-metrics.ts';

export interface KilnCallbackOptions {
  /** The model being trained; only needed where kilnCallback cannot find your tfjs-layers (see docs/api.md). */
  model?: FitModel;
  /** Your tfjs or tfjs-layers namespace, whose `Callback` class to extend (default: the one this process loaded). */
  tf?: unknown;
  /** Record every batch's logs as `train.batch_*` (default true). */
  batchMetrics?: boolean;
  /** Record the optimizer, loss, layers and fit settings as params at train begin (default true). */
  params?: boolean;
  /** Save the trained model as the run's `model` + `weights` artifacts at train end (default true). */
  saveModel?: boolean;
  /** Record this process's CPU %, memory, heap and elapsed time at each epoch end as `sys/*` metrics (default true). */
  systemMetrics?: boolean;
}

type Logs = Record<string, unknown>;

/** What `callbacks: [...]` receives; structurally tfjs' CustomCallbackArgs, so it type-checks against any tfjs version. */
export interface KilnCallback {
  onTrainBegin(logs?: Logs): Promise<void>;
  onEpochBegin(epoch: number, logs?: Logs): Promise<void>;
  onBatchEnd(batch: number, logs?: Logs): Promise<void>;
  onEpochEnd(epoch: number, logs?: Logs): Promise<void>;
  onTrainEnd(logs?: Logs): Promise<void>;
}

/** tfjs' short metric names for the ones pipelines spell out, so both kinds of run share keys. */
const METRIC_NAMES: Record<string, string> = { acc: 'accuracy', ce: 'crossentropy' };
const metricName = (name: string) => METRIC_NAMES[name] ?? name;

function isFitModel(v: unknown): v is FitModel {
  return typeof v === 'object' && v !== null && Array.isArray((v as FitModel).layers) && typeof (v as FitModel).save === 'function';
}

function learningRate(model: FitModel | undefined): number | undefined {
  try {
    const lr = (model?.optimizer as { learningRate?: unknown } | undefined)?.learningRate;
    return typeof lr === 'number' ? lr : undefined;
  } catch {
    return undefined; // optimizer getter of an uncompiled model
  }
}

/** The recording, independent of how tfjs calls it: epochs 1-based and a global batch step, as pipeline runs. */
function recorder(run: Run, opts: KilnCallbackOptions) {
  let model: FitModel | undefined;
  let step = run.step; // continues across several fits of one run
  let epoch = 0;
  let epochStarted = 0;
  let lastEpoch: { epoch: number; values: Record<string, number> } | undefined;
  const system = opts.systemMetrics === false ? undefined : systemSampler();
  return {
    async trainBegin(host: unknown, fit: FitParams | undefined): Promise<void> {
      model = opts.model ?? (isFitModel(host) ? host : undefined);
      step = Math.max(step, run.step);
      if (model === undefined) {
        process.emitWarning('kilnCallback could not find the model (no tfjs-layers loaded in this process?): pass kilnCallback(run, { model }) to record its params and save it', 'KilnWarning');
      } else if (opts.params !== false) {
        await run.logParams(modelParams(model, fit));
      }
    },
    epochBegin(e: number): void {
      epoch = e + 1;
      epochStarted = performance.now();
      system?.epochStart();
    },
    batchEnd(logs: Record<string, number>): void {
      step++;
      if (opts.batchMetrics === false) return;
      const values = Object.entries(logs).filter(([k]) => k !== 'batch' && k !== 'size');
      run.log(Object.fromEntries(values.map(([k, v]) => [`train.batch_${metricName(k)}`, v])), { step, epoch });
    },
    async epochEnd(e: number, logs: Record<string, number>): Promise<void> {
      const values: Record<string, number> = {};
      for (const [k, v] of Object.entries(logs)) values[k.startsWith('val_') ? `val.${metricName(k.slice(4))}` : `train.${metricName(k)}`] = v;
      values['time.epoch_seconds'] = (performance.now() - epochStarted) / 1000;
      const lr = learningRate(model);
      if (lr !== undefined) values.lr = lr;
      if (system !== undefined) Object.assign(values, system.sample());
      run.log(values, { step, epoch: e + 1 });
      lastEpoch = { epoch: e + 1, values: Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('train.') || k.startsWith('val.'))) };
      await run.flush(); // every epoch reaches the store, as for pipeline runs
    },
    async trainEnd(): Promise<void> {
      if (model === undefined || opts.saveModel === false) return;
      const dir = await mkdtemp(join(tmpdir(), 'kiln-track-'));
      try {
        const files = await saveModelFiles(model, dir);
        await run.logArtifact(files.modelJson, 'model');
        await run.logArtifact(files.weightsBin, 'weights');
        // The saved model is the last epoch's (tfjs' earlyStopping cannot restore best weights), so its numbers are that epoch's.
        if (lastEpoch !== undefined) await run.recordKept(lastEpoch.epoch, lastEpoch.values);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** kilnCallback as the plain-object form even where tfjs-layers is loaded: for tests of that form. */
export function plainKilnCallback(run: Run, opts: KilnCallbackOptions = {}): KilnCallback {
  return plainCallback(recorder(run, opts));
}

/** A tfjs-layers callback recording params, batch and epoch metrics and the trained model into `run`. */
export function kilnCallback(run: Run, opts: KilnCallbackOptions = {}): KilnCallback {
  const rec = recorder(run, opts);
  const Base = loadedCallbackClass(opts.tf);
  if (Base === undefined) return plainCallback(rec);
  // A real tf.Callback: fit sets this.model and this.params on it and calls the hooks as its methods.
  return Object.assign(new (class KilnTfCallback extends Base {})(), plainCallback(rec));
}

/**
 * The five hooks. tfjs calls them with `this` bound to the callback it holds: our tf.Callback
 * subclass (which carries the model and the fit params), or the CustomCallback it wraps a plain
 * object in (params only; the model then comes from `opts.model`).
 */
function plainCallback(rec: ReturnType<typeof recorder>): KilnCallback {
  return {
    async onTrainBegin(this: unknown) {
      const self = this as { model?: unknown; params?: FitParams } | undefined;
      await rec.trainBegin(self?.model, self?.params);
    },
    async onEpochBegin(e: number) {
      rec.epochBegin(e);
    },
    async onBatchEnd(_batch: number, logs?: Logs) {
      rec.batchEnd(await resolveLogs(logs));
    },
    async onEpochEnd(e: number, logs?: Logs) {
      await rec.epochEnd(e, await resolveLogs(logs));
    },
    async onTrainEnd() {
      await rec.trainEnd();
    },
  };
}
