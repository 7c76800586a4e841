import type { Params } from './space.ts';

import type { Goal } from '@kiln/core/catalog';

/** Which way a study optimizes: a sweep goal of core's catalog. */
export type Direction = Goal;

export type TrialState = 'complete' | 'pruned' | 'failed' | 'running';

/** Intermediate values reported during a trial: a Map or a list of [step, value] pairs. */
export type Intermediate = ReadonlyMap<number, number> | ReadonlyArray<readonly [number, number]>;

/** What samplers and pruners know about one evaluation of the objective. */
export interface Trial {
  params: Params;
  /** Final objective value, for complete trials. */
  value?: number;
  state: TrialState;
  intermediate?: Intermediate;
  /** Stable trial number (0-based order of creation); falls back to the position in the history. */
  number?: number;
}

function isPairList(src: Intermediate): src is ReadonlyArray<readonly [number, number]> {
  return Array.isArray(src);
}

/** The intermediate values of a trial as [step, value] pairs sorted by step. */
export function intermediateSteps(trial: Trial): Array<[number, number]> {
  const src = trial.intermediate;
  if (src === undefined) return [];
  const pairs: Array<[number, number]> = isPairList(src) ? src.map(([s, v]) => [s, v]) : [...src.entries()];
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** +1 for minimize, -1 for maximize: multiplying by it turns every objective into a loss. */
export function lossSign(direction: Direction): 1 | -1 {
  return direction === 'minimize' ? 1 : -1;
}
