import type { SamplerName } from '@kiln/core/catalog';
import { gridSampler } from './grid.ts';
import { randomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';
import { tpeSampler, type TpeOptions } from './tpe.ts';
import { gpSampler, type GpOptions } from './gp.ts';

/** Each method's options, under its name; a sampler reads only its own. */
export interface SamplerOptions {
  tpe?: Partial<TpeOptions>;
  gp?: Partial<GpOptions>;
}

/** Sampler factories, one per method of core's catalog (a missing one is a compile error). */
export const samplers: Record<SamplerName, (options?: SamplerOptions) => Sampler> = {
  grid: () => gridSampler(),
  random: () => randomSampler(),
  tpe: (options) => tpeSampler(options?.tpe),
  gp: (options) => gpSampler(options?.gp),
};

export { axisValues, gridPoints, gridSampler, gridSize, type GridSampler } from './grid.ts';
export { randomSampler, sampleDistribution, sampleSpace } from './random.ts';
export { createRng, type Rng } from '../../random/rng.ts';
export { assertValid, type Result, type Sampler } from './sampler.ts';
export { contains, validateDistribution, type Choice, type Condition, type Distribution, type Params, type SearchSpace } from './space.ts';
export { activeOnly, conditionGroups, dependencyOrder, isActive, validateSpace } from './conditions.ts';
export { fitJoint, logPdfJoint, sampleJoint, scottSigma0, type JointEstimator, type JointOptions } from './joint.ts';
export { bestTrial, optimize, type OptimizeOptions, type OptimizeResult } from './study.ts';
export { GP_DEFAULTS, gpSampler, validateGpSpace, type GpOptions } from './gp.ts';
export { defaultGamma, defaultWeights, TPE_DEFAULTS, tpeSampler, type TpeOptions } from './tpe.ts';
export { intermediateSteps, lossSign, type Direction, type Intermediate, type Trial, type TrialState } from './trial.ts';
