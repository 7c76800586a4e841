// Optuna 3.1's PercentilePruner / MedianPruner as a pure function: stop a trial whose best value so
// far is worse than the given percentile of completed trials' values at the same step.
import { must } from '@kiln/core/errors';
import { lossSign, type Direction, type Trial } from '../samplers/trial.ts';
import { stepsUpTo, type Pruner } from './pruner.ts';

export interface PercentileOptions {
  /** 50 = median; lower is stricter (keeps only trials in the best `percentile` %). */
  percentile: number;
  /** No pruning until this many trials have completed. */
  nStartupTrials: number;
  /** No pruning before this step of a trial. */
  nWarmupSteps: number;
  /** Only consider pruning once per interval of steps after the warm-up. */
  intervalSteps: number;
  /** Least number of completed trials with a value at the step for a decision. */
  nMinTrials: number;
}

export const MEDIAN_DEFAULTS: PercentileOptions = { percentile: 50, nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1 };

/** Percentile with numpy's linear interpolation, NaNs ignored; NaN for no values. */
export function nanPercentile(values: readonly number[], q: number): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  const low = must(s[lo], '0 <= lo < s.length');
  return low + (must(s[hi], '0 <= hi < s.length') - low) * (pos - lo);
}

/** Whether `step` is the first report inside its pruning interval (so each interval is judged once). */
function firstInInterval(step: number, reported: readonly number[], o: PercentileOptions): boolean {
  const nearestLower = Math.floor((step - o.nWarmupSteps) / o.intervalSteps) * o.intervalSteps + o.nWarmupSteps;
  const previous = reported.filter((s) => s !== step).reduce((m, s) => Math.max(m, s), -1);
  return previous < nearestLower;
}

/** The percentile of completed trials' values at exactly `step` (the upper percentile when maximizing). */
function threshold(completed: readonly Trial[], step: number, direction: Direction, o: PercentileOptions): number {
  const values = completed.flatMap((t) => stepsUpTo(t, step).filter(([s]) => s === step).map(([, v]) => v));
  if (values.length < o.nMinTrials) return NaN;
  return nanPercentile(values, direction === 'maximize' ? 100 - o.percentile : o.percentile);
}

/** Prune when the trial's best value so far is worse than the percentile of completed trials at this step. */
export function percentilePruner(options: Partial<PercentileOptions> = {}): Pruner {
  const o: PercentileOptions = { ...MEDIAN_DEFAULTS, ...options };
  return {
    name: o.percentile === 50 ? 'median' : 'percentile',
    shouldPrune(trial, step, allTrials, direction) {
      const completed = allTrials.filter((t) => t !== trial && t.state === 'complete');
      if (completed.length === 0 || completed.length < o.nStartupTrials) return false;
      const reported = stepsUpTo(trial, step);
      if (reported.length === 0 || step < o.nWarmupSteps) return false;
      if (!firstInInterval(step, reported.map(([s]) => s), o)) return false;
      const sign = lossSign(direction);
      const losses = reported.map(([, v]) => sign * v).filter((v) => !Number.isNaN(v));
      if (losses.length === 0) return true; // nothing but NaN: Optuna prunes these
      const bestLoss = Math.min(...losses);
      const p = threshold(completed, step, direction, o);
      if (Number.isNaN(p)) return false;
      return bestLoss > sign * p;
    },
  };
}

/** Optuna's MedianPruner: percentile 50, 5 start-up trials, no warm-up. */
export function medianPruner(options: Partial<Omit<PercentileOptions, 'percentile'>> = {}): Pruner {
  return percentilePruner({ ...options, percentile: 50 });
}
