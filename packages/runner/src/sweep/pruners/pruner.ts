import { intermediateSteps, type Direction, type Trial } from '../samplers/trial.ts';

/**
 * Decides, from intermediate values alone, whether a running trial should stop at `step`.
 * Pure: the decision depends only on the arguments, so it can be replayed from a store.
 */
export interface Pruner {
  readonly name: string;
  /** true to stop `trial` after it reported `step`; values it reported after `step` are ignored. */
  shouldPrune(trial: Trial, step: number, allTrials: readonly Trial[], direction: Direction): boolean;
}

/** The trial's [step, value] pairs up to and including `step`, sorted by step. */
export function stepsUpTo(trial: Trial, step: number): Array<[number, number]> {
  return intermediateSteps(trial).filter(([s]) => s <= step);
}

/** The value reported at exactly `step`, if any. */
export function valueAt(trial: Trial, step: number): number | undefined {
  return intermediateSteps(trial).find(([s]) => s === step)?.[1];
}

/** The other trials of the study: allTrials without `trial` itself (matched by reference or by number). */
export function others(trial: Trial, allTrials: readonly Trial[]): Trial[] {
  return allTrials.filter((t) => t !== trial && (trial.number === undefined || t.number !== trial.number));
}

/** Never prunes. */
export function nopPruner(): Pruner {
  return { name: 'none', shouldPrune: () => false };
}
