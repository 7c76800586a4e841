import { KilnFailure, type KilnError } from '@kiln/core';
import type { Rng } from '../../random/rng.ts';
import type { Params, SearchSpace } from './space.ts';
import type { Direction, Trial } from './trial.ts';

/** A value or the problems that prevented it. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: KilnError[] };

/**
 * Ask/tell sampler: given the space and every trial so far, propose the next parameters.
 * Samplers hold no per-study state, so one instance can serve many studies.
 */
export interface Sampler {
  readonly name: string;
  /** Problems that make `space` unusable with this sampler; empty when it is fine. */
  validate(space: SearchSpace): KilnError[];
  /**
   * Next parameters to evaluate, or null when the sampler has nothing left to propose (an exhausted
   * grid). Throws KilnFailure when `validate` would report problems.
   */
  suggest(space: SearchSpace, history: readonly Trial[], rng: Rng, direction?: Direction): Params | null;
}

/** Throws the validation problems of `space` for `sampler`, if any (suggest's guard). */
export function assertValid(sampler: Pick<Sampler, 'validate'>, space: SearchSpace): void {
  const errors = sampler.validate(space);
  if (errors.length > 0) throw new KilnFailure(errors);
}
