// Asynchronous successive halving (ASHA, Li et al. 2018) after Optuna 3.1's SuccessiveHalvingPruner,
// as a pure function: rung r sits at step minResource * reductionFactor^(minEarlyStoppingRate + r);
// a trial reaching a rung continues only if its value there is in the top 1/reductionFactor of every
// value recorded at that rung so far.
import { intermediateSteps, type Direction, type Trial } from '../samplers/trial.ts';
import { others, stepsUpTo, valueAt, type Pruner } from './pruner.ts';

export interface SuccessiveHalvingOptions {
  /** Step of the first rung; 'auto' = max(1, floor(longest completed trial's last step / 100)). */
  minResource: number | 'auto';
  reductionFactor: number;
  /** Shifts every rung up by this many factors (Hyperband's bracket index). */
  minEarlyStoppingRate: number;
  /** A trial needs more than this many values at a rung (its own included) to be promoted. */
  bootstrapCount: number;
}

export const SUCCESSIVE_HALVING_DEFAULTS: SuccessiveHalvingOptions = { minResource: 'auto', reductionFactor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0 };

/** Optuna's estimate of the first rung from finished trials; undefined before any has finished. */
export function estimateMinResource(trials: readonly Trial[]): number | undefined {
  const lastSteps = trials.filter((t) => t.state === 'complete').flatMap((t) => intermediateSteps(t).slice(-1).map(([s]) => s));
  return lastSteps.length === 0 ? undefined : Math.max(Math.floor(Math.max(...lastSteps) / 100), 1);
}

/**
 * The value a trial recorded at the rung at `rungStep`: its value at the first step it reported at or
 * past the rung, as the stateful pruner would have stored it then. NaN values never get recorded.
 */
export function rungValue(trial: Trial, rungStep: number): number | undefined {
  const first = intermediateSteps(trial).find(([s]) => s >= rungStep);
  return first === undefined || Number.isNaN(first[1]) ? undefined : first[1];
}

/** Whether value is within the best floor(n / reductionFactor) (at least 1) of the competing values. */
export function promotable(value: number, competing: readonly number[], reductionFactor: number, direction: Direction): boolean {
  const k = Math.max(Math.floor(competing.length / reductionFactor) - 1, 0);
  const sorted = [...competing].sort((a, b) => a - b);
  const bar = direction === 'maximize' ? sorted[sorted.length - 1 - k] : sorted[k];
  // With nothing to compete against there is no bar to clear: not promotable (as before the index check).
  if (bar === undefined) return false;
  return direction === 'maximize' ? value >= bar : value <= bar;
}

/** ASHA over rungs; judges only the rungs that this report (`step`) is the first to reach. */
export function successiveHalvingPruner(options: Partial<SuccessiveHalvingOptions> = {}): Pruner {
  const o: SuccessiveHalvingOptions = { ...SUCCESSIVE_HALVING_DEFAULTS, ...options };
  return {
    name: 'successiveHalving',
    shouldPrune(trial, step, allTrials, direction) {
      const value = valueAt(trial, step);
      if (value === undefined) return false;
      const minResource = o.minResource === 'auto' ? estimateMinResource(allTrials) : o.minResource;
      if (minResource === undefined) return false;
      const earlierSteps = stepsUpTo(trial, step).map(([s]) => s).filter((s) => s < step);
      const rivals = others(trial, allTrials);
      for (let rung = 0; ; rung++) {
        const rungStep = minResource * o.reductionFactor ** (o.minEarlyStoppingRate + rung);
        if (step < rungStep) return false;
        if (earlierSteps.some((s) => s >= rungStep)) continue; // judged (and promoted) at an earlier report
        if (Number.isNaN(value)) return true;
        const competing = rivals.flatMap((t) => rungValue(t, rungStep) ?? []);
        competing.push(value);
        if (competing.length <= o.bootstrapCount) return true;
        if (!promotable(value, competing, o.reductionFactor, direction)) return true;
      }
    },
  };
}
