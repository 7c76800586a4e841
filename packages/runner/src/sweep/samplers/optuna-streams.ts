// Kiln's TPE on Optuna's random streams, for side-by-side checks against Optuna 3.1 (the benchmark's
// seed-matched rows, the reproduction test): TPESampler(seed) draws its start-up trials from a
// RandomSampler(seed) and its model candidates from a second numpy RandomState(seed). Same algorithm
// and same random numbers give Optuna's proposals.
import { createNumpyRng } from './mt19937.ts';
import { randomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';
import { defaultGamma, TPE_DEFAULTS, tpeSampler, type TpeOptions } from './tpe.ts';
import type { Trial } from './trial.ts';

/** Optuna 3.1 TPESampler's defaults where Kiln's differ (start-up, univariate, no liar, only its 24 candidates from l(x)). */
export const OPTUNA_31: Partial<TpeOptions> = { nStartupTrials: 10, nEiCandidates: 24, gamma: defaultGamma, kernelDensity: 'optuna31', multivariate: false, constantLiar: false, localCandidates: 0, belowWeights: 'uniform', startupCandidates: 1 };

/** Optuna 3.1's multivariate=True kernels: widths 0.2 n^(-1/(d+4)) of the range. */
export const OPTUNA_31_MULTIVARIATE: Partial<TpeOptions> = { ...OPTUNA_31, multivariate: true, bandwidth: 'range', sigmaScale: 0.2 };

/** Trials that count towards the start-up: finished or pruned ones (as Optuna, queued and running trials do not). */
function usable(history: readonly Trial[]): number {
  return history.reduce((n, t) => n + (t.state === 'complete' || t.state === 'pruned' ? 1 : 0), 0);
}

/** Kiln's random sampler on numpy's RandomState(seed) stream, as Optuna's RandomSampler(seed). */
export function randomOnOptunaStream(seed: number): Sampler {
  const stream = createNumpyRng(seed);
  const random = randomSampler();
  return { name: 'random-numpy-stream', validate: random.validate, suggest: (space, history) => random.suggest(space, history, stream) };
}

/** Kiln's TPE with the given options, its start-up and model draws taken from Optuna's two streams for `seed`. */
export function tpeOnOptunaStreams(seed: number, options: Partial<TpeOptions> = {}): Sampler {
  const startup = createNumpyRng(seed);
  const model = createNumpyRng(seed);
  const tpe = tpeSampler(options);
  const random = randomSampler();
  const nStartup = options.nStartupTrials ?? TPE_DEFAULTS.nStartupTrials;
  return {
    name: 'tpe-numpy-streams',
    validate: tpe.validate,
    suggest: (space, history, _rng, direction) => (usable(history) < nStartup ? random.suggest(space, history, startup) : tpe.suggest(space, history, model, direction)),
  };
}
