import { createRng } from '../../random/rng.ts';
import type { Sampler } from './sampler.ts';
import type { Params, SearchSpace } from './space.ts';
import type { Direction, Trial } from './trial.ts';

export interface OptimizeOptions {
  sampler: Sampler;
  nTrials: number;
  seed: number;
  direction?: Direction;
}

export interface OptimizeResult {
  trials: Trial[];
  /** Best complete trial, undefined when none completed. */
  best: Trial | undefined;
}

/** Ask/tell loop for a plain TS objective (sync or async); a throwing or NaN objective marks the trial failed. */
export async function optimize(
  objective: (params: Params) => number | Promise<number>,
  space: SearchSpace,
  { sampler, nTrials, seed, direction = 'minimize' }: OptimizeOptions,
): Promise<OptimizeResult> {
  const rng = createRng(seed);
  const trials: Trial[] = [];
  for (let i = 0; i < nTrials; i++) {
    const params = sampler.suggest(space, trials, rng, direction);
    if (params === null) break;
    let trial: Trial;
    try {
      const value = await objective(params);
      trial = Number.isNaN(value) ? { params, state: 'failed', number: i } : { params, value, state: 'complete', number: i };
    } catch {
      trial = { params, state: 'failed', number: i };
    }
    trials.push(trial);
  }
  return { trials, best: bestTrial(trials, direction) };
}

/** The complete trial with the best value. */
export function bestTrial(trials: readonly Trial[], direction: Direction = 'minimize'): Trial | undefined {
  let best: Trial | undefined;
  let bestValue = NaN;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === undefined) continue;
    if (best === undefined || (direction === 'minimize' ? t.value < bestValue : t.value > bestValue)) {
      best = t;
      bestValue = t.value;
    }
  }
  return best;
}
