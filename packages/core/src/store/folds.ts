/** k-fold cross-validation in the store: a parent run, its fold runs, and the mean ± std the parent records. */
import { summaryValue, type RunRow } from './query.ts';

/** The parent's key for a metric's standard deviation over the folds: `val.accuracy.std` beside the mean `val.accuracy`. */
export const STD_SUFFIX = '.std';

/** Mean and standard deviation (population, numpy's and scikit-learn's `scores.std()`) of finite values; NaN when none. */
export function meanStd(values: number[]): { mean: number; std: number; n: number } {
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) return { mean: Number.NaN, std: Number.NaN, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance), n: xs.length };
}

/** Per metric key, the mean over the folds (under the key) and the standard deviation (under key + `.std`). */
export function summarizeFolds(folds: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(folds.flatMap((f) => Object.keys(f)))].sort();
  const out: Record<string, number> = {};
  for (const key of keys) {
    const { mean, std, n } = meanStd(folds.flatMap((f) => (key in f ? [f[key] ?? Number.NaN] : [])));
    if (n === 0) continue;
    out[key] = mean;
    out[`${key}${STD_SUFFIX}`] = std;
  }
  return out;
}

/** Whether a filter names the fold fields (`foldParentId`, `fold`): such a query asks for fold runs, so listings that show parents only include them. */
export function filterNamesFolds(filter: string | undefined): boolean {
  return filter !== undefined && /\bfold(ParentId|_parent_id)?\b/.test(filter);
}

/** A fold run's shown value of each metric (the kept model's, else the last logged). */
export function foldValues(run: RunRow): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, m] of Object.entries(run.metrics)) {
    const { value } = summaryValue(m);
    if (value !== null) out[key] = value;
  }
  return out;
}
