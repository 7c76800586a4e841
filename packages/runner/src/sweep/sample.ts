// Proposing a trial's parameters. Each trial number gets its own generator derived from the sweep
// seed, so a random sweep proposes the same sequence whatever the worker count or interruptions.
import { createRng, samplers, type Params, type Rng, type Trial } from './samplers/index.ts';
import type { SweepPlan } from './plan.ts';

/** The generator for trial `number` of a sweep seeded with `seed`. */
export function trialRng(seed: number, number: number): Rng {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(number + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return createRng((h ^ (h >>> 15)) >>> 0);
}

/** Parameters for trial `number` of a random or tpe sweep given every trial so far. */
export function proposeParams(plan: SweepPlan, history: readonly Trial[], number: number): Params | null {
  return samplers[plan.method]().suggest(plan.space, history, trialRng(plan.seed, number), plan.goal);
}
