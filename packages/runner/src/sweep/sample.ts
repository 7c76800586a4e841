// Proposing a trial's parameters. Each trial number gets its own generator derived from the sweep
// seed, so a random sweep proposes the same sequence whatever the worker count or interruptions.
import { createRng, samplers, type GpOptions, type Params, type Rng, type SamplerOptions, type TpeOptions, type Trial } from './samplers/index.ts';
import type { SweepPlan } from './plan.ts';
import { trialSeed } from '../random/seeds.ts';

/** The generator for trial `number` of a sweep seeded with `seed`. */
export function trialRng(seed: number, number: number): Rng {
  return createRng(trialSeed(seed, number));
}

/** The sampler options of a sweep's `tpe:` section; what it leaves out keeps TPE_DEFAULTS (plans stored before an option existed). */
export function tpeOptions(tpe: SweepPlan['tpe']): Partial<TpeOptions> {
  const o: Partial<TpeOptions> = {};
  if (tpe?.multivariate !== undefined) o.multivariate = tpe.multivariate;
  if (tpe?.constantLiar !== undefined) o.constantLiar = tpe.constantLiar;
  if (tpe?.startupTrials !== undefined) o.nStartupTrials = tpe.startupTrials;
  return o;
}

/** The sampler options of a sweep's `gp:` section. */
export function gpOptions(gp: SweepPlan['gp']): Partial<GpOptions> {
  return gp?.startupTrials === undefined ? {} : { nStartupTrials: gp.startupTrials };
}

/** Every method's options from a plan. */
export function samplerOptions(plan: Pick<SweepPlan, 'tpe' | 'gp'>): SamplerOptions {
  return { tpe: tpeOptions(plan.tpe), gp: gpOptions(plan.gp) };
}

/**
 * Parameters for trial `number` of a random, tpe or gp sweep given every trial so far; queued and
 * running trials are in the history as 'running', which tpe counts as liars and gp as believers.
 */
export function proposeParams(plan: SweepPlan, history: readonly Trial[], number: number): Params | null {
  return samplers[plan.method](samplerOptions(plan)).suggest(plan.space, history, trialRng(plan.seed, number), plan.goal);
}
