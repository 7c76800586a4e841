import { must } from '@kiln/core/errors';
import { randInt, type Rng } from '../../random/rng.ts';
import { assertValid, type Sampler } from './sampler.ts';
import { dependencyOrder, isActive, validateSpace } from './conditions.ts';
import { stepCount, stepOf, stepPoint, type Choice, type Distribution, type Params, type SearchSpace } from './space.ts';

/** One value drawn uniformly from d (log-uniformly for log distributions, uniformly over the step grid for stepped ones). */
export function sampleDistribution(d: Distribution, rng: Rng): Choice {
  switch (d.type) {
    case 'values':
      return must(d.values[randInt(rng, d.values.length)], 'validated spaces have at least one value per choice');
    case 'logUniform':
      return Math.min(d.high, Math.max(d.low, Math.exp(Math.log(d.low) + rng.next() * (Math.log(d.high) - Math.log(d.low)))));
    case 'intLog': {
      // As Optuna: log-uniform over [low - 0.5, high + 0.5], then round, so each integer gets its log-width share.
      const lo = Math.log(d.low - 0.5);
      const hi = Math.log(d.high + 0.5);
      const x = Math.round(Math.exp(lo + rng.next() * (hi - lo)));
      return Math.min(d.high, Math.max(d.low, x));
    }
    case 'int':
    case 'uniform': {
      const step = stepOf(d);
      if (step === undefined) return d.low + rng.next() * (d.high - d.low);
      return stepPoint(d.low, step, randInt(rng, stepCount(d.low, d.high, step)));
    }
  }
}

/** Every parameter drawn independently with sampleDistribution, in dependency order (the declared order without conditions), inactive ones left out. */
export function sampleSpace(space: SearchSpace, rng: Rng): Params {
  const params: Params = {};
  for (const name of dependencyOrder(space)) {
    const d = space[name];
    if (d !== undefined && isActive(space, name, params)) params[name] = sampleDistribution(d, rng);
  }
  return params;
}

/** Random search: independent draws; reproducible given the same seeded Rng. */
export function randomSampler(): Sampler {
  return {
    name: 'random',
    validate: validateSpace,
    suggest(space, _history, rng) {
      assertValid(this, space);
      return sampleSpace(space, rng);
    },
  };
}
