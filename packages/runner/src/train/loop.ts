/**
 * The training loop: a hand-written step (forward, loss, gradients, optional clipping, update)
 * instead of model.fit, so Kiln controls shuffling, loss read-back, stopping and hooks.
 *
 * Train metrics are computed from the predictions the training steps already made (kept on the
 * backend and read back once per epoch), so they cost no extra forward pass; like Keras' running
 * averages they mix weights from across the epoch and include dropout. train.loss is the
 * example-weighted mean of the batch losses (including weight penalties).
 */
import { must } from '@kiln/core/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainSpec } from '@kiln/core';
import type { SplitArrays } from '../data/types.ts';
import { mulberry32, withRandom } from '../random/rng.ts';
import { deriveSeed } from '../random/seeds.ts';
import { EpochBuffers, type InputSpec, type Task } from './batches.ts';
import { WeightSnapshot } from './best-weights.ts';
import { DivergenceWatch } from './divergence.ts';
import { clipGradients } from './clip.ts';
import { applyModel, evaluateHeads, regularization } from './evaluate.ts';
import { singleHead, splitMetrics, type LoopHead } from './heads.ts';
import { trainingLossFn, type OutputActivation } from './logit-losses.ts';
import { asProbabilities, LogitOutputs } from './logits.ts';
import type { Predictions } from './metrics.ts';
import { readMetric, Watch, type EpochMetrics } from './monitor.ts';
import { makeOptimizer, setLearningRate } from './optimizers.ts';
import { Unfreezer, type UnfreezeSpec } from './unfreeze.ts';
import { makeSchedule } from './schedules.ts';

export type { EpochMetrics } from './monitor.ts';

/** Name of the performance measure recorded after each epoch's training steps (read with performance.getEntriesByName). */
export const TRAIN_EPOCH_MEASURE = 'kiln.train-epoch';

/** The data the loop trains on. */
export interface LoopData {
  train: SplitArrays;
  val: SplitArrays;
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  task: Task;
  /** The model's inputs when it has several (default: one of inputShape and inputDtype). */
  inputs?: InputSpec[];
  /** The model's outputs when it has several (default: one head of `task` with train.loss and train.metrics). */
  heads?: LoopHead[];
}

export interface LoopHooks {
  /** Before each epoch (1-based), with its batch count. */
  onEpochStart?(epoch: number, batches: number): void;
  /** After every step (cheap: no read-back), e.g. to move a progress bar. */
  onStep?(step: number): void;
  /** Every `lossEvery` steps: the global step (1-based) and the mean batch loss since the last call. */
  onBatch?(step: number, loss: number, epoch: number): void;
  /** After each epoch (1-based); 'stop' ends training (a sweep pruner's verdict). */
  onEpoch?(epoch: number, metrics: EpochMetrics): 'stop' | void | Promise<'stop' | void>;
  /** When the checkpoint monitor improves (every epoch when saveBestOnly is false). */
  onCheckpoint?(epoch: number): void | Promise<void>;
}

export interface LoopOptions {
  model: LayersModel;
  spec: TrainSpec;
  data: LoopData;
  seed: number;
  hooks?: LoopHooks;
  signal?: AbortSignal;
  /** Steps between loss read-backs (and onBatch calls); default 25. */
  lossEvery?: number;
  /** Frozen layers start training at this epoch with their own optimizer (model.from.unfreeze). */
  unfreeze?: UnfreezeSpec;
  /** Changes each epoch's shuffled copy of the train rows in place (augmentation), once per model input; validation never passes through it. */
  augment?: (x: Float32Array | Int32Array, n: number, epoch: number, input: number) => void;
  /** Train cross-entropy heads on logits, the loss applying their softmax or sigmoid (default true; false keeps the probability-form loss, for comparisons). */
  fuseOutputs?: boolean;
}

export type LoopStatus = 'finished' | 'early-stopped' | 'pruned' | 'diverged' | 'aborted';

export interface LoopResult {
  status: LoopStatus;
  reason?: string;
  /** Epochs completed. */
  epochs: number;
  steps: number;
  /** 1-based epoch with the best monitored value (earlyStopping, else checkpoint, else val.loss / train.loss). */
  bestEpoch: number;
  /** The metric bestEpoch is best at. */
  monitor: string;
  /** Whether the best epoch's weights were put back at the end. */
  restored: boolean;
  /** 1-based epoch whose weights the model ends with: bestEpoch when restored, else the last completed epoch (0 when none completed). */
  keptEpoch: number;
  /** Problems that did not stop training (train.divergence with action warn). */
  warnings: string[];
  history: EpochMetrics[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains `model` in place per the train spec. */
export async function trainLoop(opts: LoopOptions): Promise<LoopResult> {
  const { model, spec, data, seed, hooks = {}, signal } = opts;
  const lossEvery = opts.lossEvery ?? 25;
  const heads = data.heads ?? [singleHead(spec, data.task)];
  const inputs = data.inputs ?? [{ shape: data.inputShape, dtype: data.inputDtype }];
  // Cross-entropy heads train on logits, the loss applying their softmax or sigmoid (logits.ts).
  const logits = new LogitOutputs(model, opts.fuseOutputs === false ? [] : heads);
  const lossFns = heads.map((h, k) => trainingLossFn(h, logits.activations[k]));
  const optimizer = makeOptimizer(spec.optimizer);
  const schedule = makeSchedule(spec.lrSchedule, spec.optimizer.learningRate, spec.epochs);
  const shuffleRandom = spec.shuffle ? mulberry32(deriveSeed(seed, 'shuffle')) : null;
  const dropoutRandom = mulberry32(deriveSeed(seed, 'dropout'));
  const buffers = new EpochBuffers(data.train, inputs, heads);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const unfreezer = opts.unfreeze ? new Unfreezer(model, opts.unfreeze, spec.optimizer) : null;
  const hasPenalty = model.calculateLosses().length > 0;

  const es = spec.earlyStopping;
  const primaryMonitor = es?.monitor ?? spec.checkpoint?.monitor ?? (data.val.n > 0 ? 'val.loss' : 'train.loss');
  const primary = new Watch(primaryMonitor, es?.mode ?? spec.checkpoint?.mode ?? 'auto', es?.minDelta ?? 0);
  const checkpoint = spec.checkpoint ? new Watch(spec.checkpoint.monitor, spec.checkpoint.mode) : null;
  const best = new WeightSnapshot(model);
  const divergence = new DivergenceWatch(spec.divergence);
  const warnings: string[] = [];
  const history: EpochMetrics[] = [];
  let step = 0;
  let status: LoopStatus = 'finished';
  let reason: string | undefined;

  try {
    for (let e = 0; e < spec.epochs && status === 'finished'; e++) {
      const epoch = e + 1;
      const lr = schedule.rate(e);
      setLearningRate(optimizer, lr);
      const stepVars = unfreezer ? [...vars, ...unfreezer.begin(epoch, lr / spec.optimizer.learningRate)] : vars;
      buffers.arrange(shuffleRandom);
      buffers.xs.forEach((x, input) => opts.augment?.(x, data.train.n, epoch, input));
      const n = data.train.n;
      const batches = Math.ceil(n / spec.batchSize);
      hooks.onEpochStart?.(epoch, batches);
      const epochStart = performance.now();

      const pending: tf.Scalar[] = [];
      const pendingSizes: number[] = [];
      const preds: tf.Tensor[][] = heads.map(() => []);
      // With several heads each head's batch losses are kept too, for its own train loss (read once per epoch).
      const headLosses: tf.Scalar[][] = heads.length > 1 ? heads.map(() => []) : [];
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) {
          [status, reason] = ['aborted', `aborted at epoch ${epoch} step ${step + 1}`];
          break;
        }
        const start = b * spec.batchSize;
        const end = Math.min(n, start + spec.batchSize);
        const { xs, ys } = buffers.batch(start, end);
        const { value, grads } = withRandom(dropoutRandom, () =>
          tf.variableGrads(() => {
            const outs = logits.run(() => applyModel(model, xs, true));
            outs.forEach((out, h) => must(preds[h], 'one prediction list per head').push(tf.keep(out)));
            const loss = heads.length === 1 ? headLoss(lossFns, 0, ys, outs) : weightedLoss(heads, lossFns, ys, outs, headLosses);
            return hasPenalty ? tf.add(loss, regularization(model)) : loss;
          }, stepVars),
        );
        const clipped = clipGradients(grads, spec.gradientClip);
        optimizer.applyGradients(unfreezer ? unfreezer.apply(clipped) : clipped);
        tf.dispose([...xs, ...ys, ...Object.values(clipped)]);
        step++;
        hooks.onStep?.(step);
        pending.push(value);
        pendingSizes.push(end - start);
        if (pending.length >= lossEvery || b === batches - 1) {
          const read = readLosses(pending, pendingSizes);
          if (step === pending.length) divergence.start(read.first);
          if (read.badAt >= 0) {
            // The finite steps before the bad one are reported one by one, so a diverged run keeps every loss it had.
            const firstStep = step - pending.length + 1;
            read.finite.forEach((loss, i) => hooks.onBatch?.(firstStep + i, loss, epoch));
            [status, reason] = ['diverged', `diverged at epoch ${epoch} step ${step - pending.length + read.badAt + 1}`];
            break;
          }
          lossSum += read.weightedSum;
          hooks.onBatch?.(step, read.weightedSum / read.examples, epoch);
          tf.dispose(pending);
          pending.length = pendingSizes.length = 0;
          // The steps are synchronous and the loop's awaits resolve as microtasks, so without a real
          // turn of the event loop Ctrl-C, SIGTERM, heartbeats and timed flushes would wait for the end.
          await yieldToEventLoop();
        }
      }
      tf.dispose(pending);
      // The training steps alone (no metrics, no validation), for benchmarks: entries named TRAIN_EPOCH_MEASURE.
      performance.measure(TRAIN_EPOCH_MEASURE, { start: epochStart, detail: { epoch } });
      if (status !== 'finished') {
        tf.dispose([...preds.flat(), ...headLosses.flat()]);
        break;
      }

      const trainHeads = heads.map((h, k) => ({ loss: headLosses[k] ? meanLoss(headLosses[k], pendingSizesOf(n, spec.batchSize)) : Number.NaN, predictions: takePredictions(must(preds[k], 'one prediction list per head'), must(buffers.ys[k], 'one target buffer per head'), h.task, n, logits.activations[k]) }));
      const metrics = epochMetrics(model, data, heads, inputs, lossSum / n, trainHeads, lr);
      history.push(metrics);
      schedule.afterEpoch?.(e, metrics);
      if (primary.observe(epoch, readMetric(metrics, primary.monitor)) && es?.restoreBestWeights) best.take();
      if (checkpoint && (checkpoint.observe(epoch, readMetric(metrics, checkpoint.monitor)) || !spec.checkpoint!.saveBestOnly)) await hooks.onCheckpoint?.(epoch);
      const verdict = divergence.observe(epoch, metrics.train.loss ?? Number.NaN);
      if (verdict.kind === 'warn') warnings.push(verdict.message);
      if ((await hooks.onEpoch?.(epoch, metrics)) === 'stop') [status, reason] = ['pruned', `pruned after epoch ${epoch}`];
      else if (verdict.kind === 'fail') [status, reason] = ['diverged', verdict.message];
      else if (es && primary.wait >= es.patience && primary.wait > 0 && epoch < spec.epochs)
        [status, reason] = ['early-stopped', `early stopping: ${es.monitor} did not improve for ${primary.wait} epochs (best ${primary.best} at epoch ${primary.bestEpoch})`];
    }
    const restored = Boolean(es?.restoreBestWeights && best.taken && status !== 'diverged' && primary.bestEpoch !== history.length);
    if (restored) best.restore();
    const bestEpoch = primary.bestEpoch > 0 ? primary.bestEpoch : history.length;
    const keptEpoch = restored ? bestEpoch : history.length;
    return { status, ...(reason ? { reason } : {}), epochs: history.length, steps: step, bestEpoch, monitor: primaryMonitor, restored, keptEpoch, warnings, history };
  } finally {
    best.dispose();
    optimizer.dispose();
    unfreezer?.dispose();
  }
}

/** Reads a window of batch losses in one go; badAt is the first non-finite one (or -1), `finite` the losses before it. */
function readLosses(pending: tf.Scalar[], sizes: number[]): { weightedSum: number; examples: number; badAt: number; finite: number[]; first: number } {
  const values = tf.tidy(() => tf.stack(pending).dataSync());
  const first = must(values[0], 'losses are read after at least one step');
  let weightedSum = 0;
  let examples = 0;
  for (const [i, value] of values.entries()) {
    if (!Number.isFinite(value)) return { weightedSum, examples, badAt: i, finite: Array.from(values.subarray(0, i)), first };
    const size = must(sizes[i], 'one batch size per pending loss');
    weightedSum += value * size;
    examples += size;
  }
  return { weightedSum, examples, badAt: -1, finite: [], first };
}

/** Head k's loss on a batch: the model has one output, and the batch one target, per head. */
function headLoss(lossFns: ((y: tf.Tensor, p: tf.Tensor) => tf.Scalar)[], k: number, ys: tf.Tensor[], outs: tf.Tensor[]): tf.Scalar {
  return must(lossFns[k], 'one loss per head')(must(ys[k], 'one target per head'), must(outs[k], 'one output per head'));
}

/** The weighted sum of the heads' losses; each head's loss is also kept in `kept` for its epoch train loss. */
function weightedLoss(heads: LoopHead[], lossFns: ((y: tf.Tensor, p: tf.Tensor) => tf.Scalar)[], ys: tf.Tensor[], outs: tf.Tensor[], kept: tf.Scalar[][]): tf.Scalar {
  let total: tf.Scalar | undefined;
  heads.forEach((h, k) => {
    const loss = headLoss(lossFns, k, ys, outs);
    must(kept[k], 'one kept-loss list per head').push(tf.keep(loss));
    const part: tf.Scalar = h.weight === 1 ? loss : tf.mul(loss, h.weight);
    total = total ? (tf.add(total, part) as tf.Scalar) : part;
  });
  return must(total, 'a model has at least one head');
}

/** The sizes of an epoch's batches, in order. */
const pendingSizesOf = (n: number, batchSize: number) => Array.from({ length: Math.ceil(n / batchSize) }, (_, b) => Math.min(batchSize, n - b * batchSize));

/** The example-weighted mean of one head's batch losses over the epoch, read back at once. */
function meanLoss(losses: tf.Scalar[], sizes: number[]): number {
  const values = tf.tidy(() => tf.stack(losses).dataSync());
  tf.dispose(losses);
  let sum = 0;
  values.forEach((v, i) => {
    sum += v * must(sizes[i], 'one size per batch loss');
  });
  return sum / sizes.reduce((a, b) => a + b, 0);
}

/** The epoch's training predictions (as probabilities when they were kept as logits), read back once, paired with the targets in the order they were seen. */
function takePredictions(preds: tf.Tensor[], y: Float32Array | Int32Array, task: Task, n: number, activation: OutputActivation | undefined): Predictions {
  const all = tf.tidy(() => asProbabilities(tf.concat(preds.map((p) => tf.reshape(p, [p.shape[0], -1])), 0), activation));
  tf.dispose(preds);
  const pred = all.dataSync() as Float32Array;
  const width = must(all.shape[1], 'predictions are reshaped to rank 2');
  all.dispose();
  return { task, n, width, pred, y };
}

function epochMetrics(model: LayersModel, data: LoopData, heads: LoopHead[], inputs: InputSpec[], trainLoss: number, trainHeads: { loss: number; predictions: Predictions }[], lr: number): EpochMetrics {
  const train = splitMetrics(heads, trainLoss, trainHeads);
  if (data.val.n === 0) return { train, val: {}, lr };
  const val = evaluateHeads(model, data.val, inputs, heads);
  return { train, val: splitMetrics(heads, val.loss, val.heads), lr };
}
