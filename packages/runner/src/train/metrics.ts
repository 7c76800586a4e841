/**
 * Metrics computed in plain JS from the model's outputs, so they are exact and deterministic
 * (no float32 reductions on the backend, no batch averaging).
 */
import { must } from '@kiln/core/errors';
import { perClassStats, presentClasses, type MetricName } from '@kiln/core/catalog';
import { unscaleTargets } from '../data/preprocess/index.ts';
import type { TargetScale } from '../data/types.ts';

/** The outputs of one split: `pred` is n x width (width = classes for multiclass, else 1). */
export interface Predictions {
  task: 'binary' | 'multiclass' | 'regression';
  n: number;
  width: number;
  pred: Float32Array;
  /** Class ids (binary: 0/1) or regression values, n of them. */
  y: Float32Array | Int32Array;
}

/** Predicted class per row: argmax for multiclass, p >= 0.5 for binary. */
export function predictedClasses(p: Predictions): Int32Array {
  const out = new Int32Array(p.n);
  if (p.task === 'binary') {
    for (let i = 0; i < p.n; i++) out[i] = (p.pred[i] ?? Number.NaN) >= 0.5 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < p.n; i++) {
    const row = p.pred.subarray(i * p.width, (i + 1) * p.width);
    // The first maximum wins (strict '>'); a NaN first score keeps class 0, as before.
    let best = 0;
    let top = row[0] ?? Number.NaN;
    row.forEach((v, k) => {
      if (v > top) [best, top] = [k, v];
    });
    out[i] = best;
  }
  return out;
}

/** Confusion matrix, rows = true class, columns = predicted class. */
export function confusionMatrix(p: Predictions): number[][] {
  const k = p.task === 'binary' ? 2 : p.width;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const cls = predictedClasses(p);
  cls.forEach((c, i) => {
    const row = must(m[p.y[i] ?? -1], 'true class ids are below the class count');
    row[c] = must(row[c], 'predicted class ids are below the class count') + 1;
  });
  return m;
}

const safeDiv = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** A regression split's predictions and targets back in the target's own units (unchanged without a scale). */
export function inTargetUnits(p: Predictions, scale: TargetScale | undefined): Predictions {
  return scale && p.task === 'regression' ? { ...p, pred: unscaleTargets(scale, p.pred), y: unscaleTargets(scale, p.y) } : p;
}

/** Per-class precision, recall, F1 and support (true rows) from a confusion matrix, as arrays in class order (core's perClassStats). */
export function perClass(m: number[][]): { precision: number[]; recall: number[]; f1: number[]; support: number[] } {
  const stats = perClassStats(m);
  return { precision: stats.map((s) => s.precision), recall: stats.map((s) => s.recall), f1: stats.map((s) => s.f1), support: stats.map((s) => s.support) };
}

/** The mean of per-class values weighted by each class's support (scikit-learn's average='weighted', over both classes for binary). */
function supportWeighted(values: number[], support: number[]): number {
  const total = support.reduce((a, b) => a + b, 0);
  return safeDiv(values.reduce((s, v, c) => s + v * (support[c] ?? 0), 0), total);
}

/** Binary: the positive class's value; multiclass: the unweighted mean over the classes present in truth or predictions (macro, as scikit-learn). */
function summarize(p: Predictions, values: number[], m: number[][]): number {
  if (p.task === 'binary') return must(values[1], 'binary has two classes');
  const present = presentClasses(m);
  const counted = values.filter((_, c) => present[c]);
  return safeDiv(counted.reduce((a, b) => a + b, 0), counted.length);
}

/** ROC AUC from ranks (Mann-Whitney U), ties getting their average rank: exact, no thresholds. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => ({ score: scores[i] ?? Number.NaN, label: labels[i] })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    const score = order[i]?.score;
    let j = i;
    while (j + 1 < n && order[j + 1]?.score === score) j++;
    const rank = (i + j) / 2 + 1;
    for (const { label } of order.slice(i, j + 1)) if (label === 1) {
      positives++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function regressionStats(p: Predictions): { sse: number; sae: number; sst: number } {
  let mean = 0;
  // pred and y both hold n values (regression has width 1); a missing one would be NaN, as before the index check.
  const yAt = (i: number) => p.y[i] ?? Number.NaN;
  for (let i = 0; i < p.n; i++) mean += yAt(i);
  mean /= p.n;
  let sse = 0;
  let sae = 0;
  let sst = 0;
  for (let i = 0; i < p.n; i++) {
    const e = (p.pred[i] ?? Number.NaN) - yAt(i);
    sse += e * e;
    sae += Math.abs(e);
    sst += (yAt(i) - mean) ** 2;
  }
  return { sse, sae, sst };
}

type MetricFn = (p: Predictions, m: () => number[][]) => number;

/** One entry per metric of core's METRIC_TABLE (a missing one is a compile error); `m` gives the (lazily computed, shared) confusion matrix. */
export const METRIC_FNS: Record<MetricName, MetricFn> = {
  accuracy: (p, m) => safeDiv(m().reduce((s, row, c) => s + must(row[c], 'the confusion matrix is square'), 0), p.n),
  precision: (p, m) => summarize(p, perClass(m()).precision, m()),
  recall: (p, m) => summarize(p, perClass(m()).recall, m()),
  f1: (p, m) => summarize(p, perClass(m()).f1, m()),
  f1Weighted: (_p, m) => {
    const { f1, support } = perClass(m());
    return supportWeighted(f1, support);
  },
  auc: (p) => rocAuc(p.pred, p.y),
  rmse: (p) => Math.sqrt(regressionStats(p).sse / p.n),
  mae: (p) => regressionStats(p).sae / p.n,
  r2: (p) => {
    const { sse, sst } = regressionStats(p);
    return sst === 0 ? Number.NaN : 1 - sse / sst;
  },
};

/** Computes the named metrics for one split. */
export function computeMetrics(names: readonly MetricName[], p: Predictions): Record<string, number> {
  let matrix: number[][] | undefined;
  const m = () => (matrix ??= confusionMatrix(p));
  const out: Record<string, number> = {};
  for (const name of names) out[name] = p.n === 0 ? Number.NaN : METRIC_FNS[name](p, m);
  return out;
}
