// Hyperband (Li et al. 2017) as brackets of ASHA, after Optuna 3.1's HyperbandPruner: each trial is
// assigned by a hash of its number to one bracket, bracket b runs successive halving with its first
// rung b factors later, and trials compete only within their bracket.
import type { Trial } from '../samplers/trial.ts';
import type { Pruner } from './pruner.ts';
import { intermediateSteps } from '../samplers/trial.ts';
import { successiveHalvingPruner } from './successive-halving.ts';
// murmur3's finaliser spreads consecutive trial numbers evenly over the brackets.
import { fmix32 } from '../../random/seeds.ts';

export interface HyperbandOptions {
  minResource: number;
  /** Last step of a full trial; 'auto' = longest completed trial's last step + 1. */
  maxResource: number | 'auto';
  reductionFactor: number;
  bootstrapCount: number;
}

export const HYPERBAND_DEFAULTS: HyperbandOptions = { minResource: 1, maxResource: 'auto', reductionFactor: 3, bootstrapCount: 0 };

/** Trials each bracket should receive, in Optuna's proportions: ceil(nBrackets * eta^s / (s + 1)). */
export function bracketBudgets(nBrackets: number, reductionFactor: number): number[] {
  return Array.from({ length: nBrackets }, (_, b) => {
    const s = nBrackets - 1 - b;
    return Math.ceil((nBrackets * reductionFactor ** s) / (s + 1));
  });
}

/** Number of brackets for a resource range: floor(log_eta(max / min)) + 1. */
export function bracketCount(minResource: number, maxResource: number, reductionFactor: number): number {
  return Math.floor(Math.log(maxResource / minResource) / Math.log(reductionFactor)) + 1;
}

/** The bracket of trial number `n`, chosen with probability proportional to the bracket budgets. */
export function bracketOf(n: number, budgets: readonly number[]): number {
  const total = budgets.reduce((a, b) => a + b, 0);
  let r = fmix32(n) % total;
  for (const [b, budget] of budgets.entries()) {
    r -= budget;
    if (r < 0) return b;
  }
  return budgets.length - 1;
}

function trialNumber(t: Trial, allTrials: readonly Trial[]): number {
  if (t.number !== undefined) return t.number;
  const i = allTrials.indexOf(t);
  return i >= 0 ? i : allTrials.length;
}

function resolveMaxResource(o: HyperbandOptions, allTrials: readonly Trial[]): number | undefined {
  if (o.maxResource !== 'auto') return o.maxResource;
  const last = allTrials.filter((t) => t.state === 'complete').flatMap((t) => intermediateSteps(t).slice(-1).map(([s]) => s));
  return last.length === 0 ? undefined : Math.max(...last) + 1;
}

/** Hyperband: successive halving per bracket, each trial judged only against its own bracket. */
export function hyperbandPruner(options: Partial<HyperbandOptions> = {}): Pruner {
  const o: HyperbandOptions = { ...HYPERBAND_DEFAULTS, ...options };
  return {
    name: 'hyperband',
    shouldPrune(trial, step, allTrials, direction) {
      const maxResource = resolveMaxResource(o, allTrials);
      if (maxResource === undefined) return false;
      const budgets = bracketBudgets(bracketCount(o.minResource, maxResource, o.reductionFactor), o.reductionFactor);
      const bracket = bracketOf(trialNumber(trial, allTrials), budgets);
      const peers = allTrials.filter((t) => bracketOf(trialNumber(t, allTrials), budgets) === bracket);
      const sh = successiveHalvingPruner({ minResource: o.minResource, reductionFactor: o.reductionFactor, minEarlyStoppingRate: bracket, bootstrapCount: o.bootstrapCount });
      return sh.shouldPrune(trial, step, peers, direction);
    },
  };
}
