/**
 * kilnCallback: tracks a tfjs-layers `model.fit` / `fitDataset` into a run.
 *
 * It is a plain object of `on*` functions (tfjs' CustomCallbackArgs), not a subclass of tfjs'
 * Callback: subclassing needs a tfjs import, and the class tfjs checks with `instanceof` is the
 * user's own copy, which Kiln's would not be. tfjs wraps such an object in a CustomCallback and
 * calls each function as a method of that wrapper, whose `model` and `params` (set by fit) are
 * therefore `this.model` / `this.params` here. So Kiln never loads TensorFlow.js into the user's
 * process: their tfjs trains, Kiln only reads numbers and configs and receives the saved bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModelFiles } from './model-files.ts';
import { modelParams, type FitModel, type FitParams } from './model-params.ts';
import type { Run } from './run.ts';

export interface KilnCallbackOptions {
  /** The model being trained; only needed where tfjs does not hand it to callbacks (it does in fit and fitDataset). */
  model?: FitModel;
  /** Record every batch's logs as `train.batch_*` (default true). */
  batchMetrics?: boolean;
  /** Record the optimizer, loss, layers and fit settings as params at train begin (default true). */
  params?: boolean;
  /** Save the trained model as the run's `model` + `weights` artifacts at train end (default true). */
  saveModel?: boolean;
}

/** What tfjs' CustomCallback wrapper carries when it calls our functions. */
interface CallbackThis {
  model?: unknown;
  params?: FitParams;
}

type Logs = Record<string, unknown>;

/** The object passed in `callbacks: [...]`; structurally tfjs' CustomCallbackArgs. */
export interface KilnCallback {
  onTrainBegin(this: CallbackThis | void, logs?: Logs): Promise<void>;
  onEpochBegin(this: CallbackThis | void, epoch: number, logs?: Logs): void;
  onBatchEnd(this: CallbackThis | void, batch: number, logs?: Logs): void;
  onEpochEnd(this: CallbackThis | void, epoch: number, logs?: Logs): Promise<void>;
  onTrainEnd(this: CallbackThis | void, logs?: Logs): Promise<void>;
}

/** tfjs' short metric names for the ones pipelines spell out, so both kinds of run share keys. */
const METRIC_NAMES: Record<string, string> = { acc: 'accuracy', ce: 'crossentropy' };

function isFitModel(v: unknown): v is FitModel {
  return typeof v === 'object' && v !== null && Array.isArray((v as FitModel).layers) && typeof (v as FitModel).save === 'function';
}

function numbers(logs: Logs | undefined, skip: readonly string[] = []): [string, number][] {
  return Object.entries(logs ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number' && !skip.includes(e[0]));
}

function metricName(name: string): string {
  return METRIC_NAMES[name] ?? name;
}

function learningRate(model: FitModel | undefined): number | undefined {
  try {
    const lr = (model?.optimizer as { learningRate?: unknown } | undefined)?.learningRate;
    return typeof lr === 'number' ? lr : undefined;
  } catch {
    return undefined;
  }
}

/** A tfjs-layers callback recording params, batch and epoch metrics and the trained model into `run`. */
export function kilnCallback(run: Run, opts: KilnCallbackOptions = {}): KilnCallback {
  let model: FitModel | undefined;
  let step = run.step; // global batch step, continuing across several fits of one run
  let epoch = 0; // 1-based, as pipeline runs
  let epochStarted = 0;
  return {
    async onTrainBegin(this: CallbackThis | void) {
      const host = this ?? {};
      model = opts.model ?? (isFitModel(host.model) ? host.model : undefined);
      step = Math.max(step, run.step);
      if (model === undefined) {
        process.emitWarning('kilnCallback: tfjs did not pass the model to the callback; pass it as kilnCallback(run, { model }) to record its params and save it', 'KilnWarning');
        return;
      }
      if (opts.params !== false) await run.logParams(modelParams(model, host.params));
    },
    onEpochBegin(_epoch: number) {
      epoch = _epoch + 1;
      epochStarted = performance.now();
    },
    onBatchEnd(_batch: number, logs?: Logs) {
      step++;
      if (opts.batchMetrics === false) return;
      const values = numbers(logs, ['batch', 'size']);
      run.log(Object.fromEntries(values.map(([k, v]) => [`train.batch_${metricName(k)}`, v])), { step, epoch });
    },
    async onEpochEnd(_epoch: number, logs?: Logs) {
      const values: Record<string, number> = {};
      for (const [k, v] of numbers(logs)) values[k.startsWith('val_') ? `val.${metricName(k.slice(4))}` : `train.${metricName(k)}`] = v;
      values['time.epoch_seconds'] = (performance.now() - epochStarted) / 1000;
      const lr = learningRate(model);
      if (lr !== undefined) values.lr = lr;
      run.log(values, { step, epoch: _epoch + 1 });
      await run.flush(); // every epoch reaches the store, as for pipeline runs
    },
    async onTrainEnd() {
      if (model === undefined || opts.saveModel === false) return;
      const dir = await mkdtemp(join(tmpdir(), 'kiln-track-'));
      try {
        const files = await saveModelFiles(model, dir);
        await run.logArtifact(files.modelJson, 'model');
        await run.logArtifact(files.weightsBin, 'weights');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
