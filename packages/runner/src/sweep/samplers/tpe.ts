// Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 3.1 TPESampler's defaults and
// independent (univariate) sampling: for each parameter, split past trials into the best gamma(n)
// ("below", l(x)) and the rest ("above", g(x)), draw candidates from l and keep the one with the
// highest l(x)/g(x).
import { fitParzen, fromInternal, logPdfParzen, sampleParzen, toInternal, type ParzenOptions } from './parzen.ts';
import { sampleDistribution } from './random.ts';
import type { Rng } from '../../random/rng.ts';
import { assertValid, type Sampler } from './sampler.ts';
import { validateSpace, type Choice, type Distribution, type Params, type SearchSpace } from './space.ts';
import { intermediateSteps, lossSign, type Direction, type Trial } from './trial.ts';

export interface TpeOptions extends ParzenOptions {
  /** Trials sampled at random before the model takes over. */
  nStartupTrials: number;
  /** Candidates drawn from l(x) per parameter. */
  nEiCandidates: number;
  /** Size of the "below" (good) group given n usable trials. */
  gamma: (n: number) => number;
}

/** Optuna's default gamma: the best 10 %, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights: the newest 25 observations weigh 1, older ones ramp linearly from 1/n up to 1. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

export const TPE_DEFAULTS: TpeOptions = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  gamma: defaultGamma,
  weights: defaultWeights,
  considerPrior: true,
  priorWeight: 1.0,
  considerMagicClip: true,
  considerEndpoints: false,
  kernelDensity: 'optuna31',
};

/** A trial's rank key: finished trials first (by loss), then pruned ones, deeper steps before shallower. */
interface Observation {
  params: Params;
  /** -Infinity for complete trials, -lastStep for pruned ones (1 when they reported nothing). */
  stepKey: number;
  loss: number;
}

/** Complete and pruned trials as observations, in chronological order (failed and running trials carry no information). */
export function observations(history: readonly Trial[], direction: Direction): Observation[] {
  const sign = lossSign(direction);
  const out: Observation[] = [];
  for (const t of history) {
    if (t.state === 'complete' && t.value !== undefined && !Number.isNaN(t.value)) {
      out.push({ params: t.params, stepKey: -Infinity, loss: sign * t.value });
    } else if (t.state === 'pruned') {
      // As Optuna 3.1: a pruned trial counts with its last intermediate value, ranked after every finished trial.
      const steps = intermediateSteps(t);
      const last = steps[steps.length - 1];
      if (last === undefined) out.push({ params: t.params, stepKey: 1, loss: 0 });
      else out.push({ params: t.params, stepKey: -last[0], loss: Number.isNaN(last[1]) ? Infinity : sign * last[1] });
    }
  }
  return out;
}

/** Splits observations into the best nBelow and the rest, each kept in chronological order. */
export function splitObservations(obs: readonly Observation[], nBelow: number): { below: Observation[]; above: Observation[] } {
  const ranked = obs.map((o, i) => ({ o, i })).sort((a, b) => a.o.stepKey - b.o.stepKey || a.o.loss - b.o.loss || a.i - b.i);
  const belowIdx = new Set(ranked.slice(0, nBelow).map((r) => r.i));
  return { below: obs.filter((_, i) => belowIdx.has(i)), above: obs.filter((_, i) => !belowIdx.has(i)) };
}

function internalValues(name: string, d: Distribution, obs: readonly Observation[]): number[] {
  const xs: number[] = [];
  for (const o of obs) {
    const x = toInternal(d, o.params[name]);
    if (x !== undefined) xs.push(x);
  }
  return xs;
}

/** One parameter by TPE: draw nEiCandidates from l(x), return the one maximising log l(x) - log g(x). */
export function sampleTpeParam(name: string, d: Distribution, below: readonly Observation[], above: readonly Observation[], rng: Rng, o: TpeOptions): Choice {
  const l = fitParzen(d, internalValues(name, d, below), o);
  const g = fitParzen(d, internalValues(name, d, above), o);
  let best = NaN;
  let bestScore = -Infinity;
  for (const x of sampleParzen(l, rng, o.nEiCandidates)) {
    const score = logPdfParzen(l, x, o.kernelDensity) - logPdfParzen(g, x, o.kernelDensity);
    if (Number.isNaN(best) || score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return fromInternal(d, best);
}

/** TPE sampler (independent per parameter) with Optuna 3.1's defaults, overridable per option. */
export function tpeSampler(options: Partial<TpeOptions> = {}): Sampler {
  const o: TpeOptions = { ...TPE_DEFAULTS, ...options };
  return {
    name: 'tpe',
    validate: validateSpace,
    suggest(space: SearchSpace, history: readonly Trial[], rng: Rng, direction: Direction = 'minimize'): Params {
      assertValid(this, space);
      const obs = observations(history, direction);
      const params: Params = {};
      if (obs.length < o.nStartupTrials) {
        for (const [name, d] of Object.entries(space)) params[name] = sampleDistribution(d, rng);
        return params;
      }
      const { below, above } = splitObservations(obs, o.gamma(obs.length));
      for (const [name, d] of Object.entries(space)) params[name] = sampleTpeParam(name, d, below, above, rng, o);
      return params;
    },
  };
}
