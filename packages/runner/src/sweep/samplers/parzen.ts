// Univariate Parzen estimator of the TPE (Bergstra et al. 2011), following Optuna 3.1's
// `_ParzenEstimator` with multivariate=False: one truncated-normal (or categorical) kernel per
// observation plus a prior kernel, mixed with recency weights.
import { logAddExp, logGaussMass, truncnormPpf } from './normal.ts';
import { must } from '@kiln/core/errors';
import { weightedIndex, type Rng } from '../../random/rng.ts';
import type { Choice, Distribution } from './space.ts';

export interface ParzenOptions {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Weights of n observations in chronological order (oldest first). */
  weights: (n: number) => number[];
  /**
   * How a continuous kernel's log density is scored. 'optuna31' reproduces Optuna <= 3.4, which left
   * out -log(sigma) (optuna#5109, fixed in 3.5), so a kernel counts in proportion to its width and
   * isolated observations pull harder: more exploration. 'normalized' is the true mixture density.
   */
  kernelDensity: 'optuna31' | 'normalized';
}

type Kernels =
  | { kind: 'numeric'; low: number; high: number; q: number | undefined; mus: number[]; sigmas: number[] }
  | { kind: 'categorical'; probs: number[][] };

/** A fitted mixture over one parameter, in the internal representation (log scale for log distributions, index for choices). */
export interface ParzenEstimator {
  dist: Distribution;
  /** Normalised mixture weights, one per kernel. */
  weights: number[];
  kernels: Kernels;
}

/** Internal-representation bounds and step: stepped ranges widen by half a step so the end points get full mass. */
export function bounds(d: Exclude<Distribution, { type: 'values' }>): { low: number; high: number; q: number | undefined } {
  switch (d.type) {
    case 'logUniform':
      return { low: Math.log(d.low), high: Math.log(d.high), q: undefined };
    case 'intLog':
      return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), q: undefined };
    case 'int':
    case 'uniform': {
      const q = d.type === 'int' ? (d.step ?? 1) : d.step;
      return q === undefined ? { low: d.low, high: d.high, q } : { low: d.low - q / 2, high: d.high + q / 2, q };
    }
  }
}

/** Value -> internal representation (undefined when the value does not belong to the distribution). */
export function toInternal(d: Distribution, value: Choice | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (d.type === 'values') {
    const i = d.values.findIndex((v) => v === value);
    return i < 0 ? undefined : i;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return d.type === 'logUniform' || d.type === 'intLog' ? Math.log(value) : value;
}

/** Internal representation -> value, snapped to the step grid / integers and clipped into range. */
export function fromInternal(d: Distribution, x: number): Choice {
  if (d.type === 'values') return must(d.values[x], 'a choice index comes from this distribution');
  if (d.type === 'logUniform') return Math.min(d.high, Math.max(d.low, Math.exp(x)));
  if (d.type === 'intLog') return Math.min(d.high, Math.max(d.low, Math.round(Math.exp(x))));
  const q = d.type === 'int' ? (d.step ?? 1) : d.step;
  if (q === undefined) return x;
  const snapped = Number((Math.round((x - d.low) / q) * q + d.low).toPrecision(12));
  return Math.min(d.high, Math.max(d.low, snapped));
}

/** Kernel weights: the caller's recency weights plus the prior's weight, normalised. */
function mixtureWeights(n: number, o: ParzenOptions, withPrior: boolean): number[] {
  const w = o.weights(n).slice(0, n);
  if (withPrior) w.push(o.priorWeight);
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

/** Bandwidths: distance to the farther neighbour (Optuna's rule), end kernels using their inner gap, then clipped. */
function bandwidths(mus: number[], low: number, high: number, o: ParzenOptions): number[] {
  const byMu = mus.map((mu, i) => ({ mu, i })).sort((a, b) => a.mu - b.mu);
  const edges = [low, ...byMu.map((e) => e.mu), high];
  // gaps[j] = edges[j + 1] - edges[j]: the k-th kernel in mu order sits between gaps[k] and gaps[k + 1].
  const gaps = edges.slice(1).map((e, j) => e - must(edges[j], 'j + 1 indexes edges'));
  const gap = (j: number) => must(gaps[j], 'there are m + 1 gaps around m kernels');
  const m = mus.length;
  const sortedSigmas = byMu.map((_, k) => Math.max(gap(k), gap(k + 1)));
  if (!o.considerEndpoints && m >= 2) {
    sortedSigmas[0] = gap(1);
    sortedSigmas[m - 1] = gap(m - 1);
  }
  const sigmas = new Array<number>(m);
  byMu.forEach(({ i }, k) => (sigmas[i] = clipSigma(must(sortedSigmas[k], 'one sigma per kernel'), m, low, high, o)));
  return sigmas;
}

/**
 * Fits the estimator to observations (internal representation, chronological order). With
 * `sigma0` (the multivariate TPE's Scott-rule factor), every numeric kernel gets width sigma0 * range
 * instead of the distance to its neighbours.
 */
export function fitParzen(dist: Distribution, observations: number[], o: ParzenOptions, sigma0?: number): ParzenEstimator {
  const n = observations.length;
  const withPrior = o.considerPrior || n === 0;
  const weights = mixtureWeights(n, o, withPrior);
  if (dist.type === 'values') {
    const k = dist.values.length;
    const base = withPrior ? o.priorWeight / (n + 1) : o.priorWeight / n;
    const rows = observations.map((obs) => Array.from({ length: k }, (_, j) => base + (j === obs ? 1 : 0)));
    if (withPrior) rows.push(new Array<number>(k).fill(base));
    const probs = rows.map((r) => {
      const s = r.reduce((a, b) => a + b, 0);
      return r.map((x) => x / s);
    });
    return { dist, weights, kernels: { kind: 'categorical', probs } };
  }
  const { low, high, q } = bounds(dist);
  const mus = withPrior ? [...observations, 0.5 * (low + high)] : [...observations];
  const sigmas = sigma0 === undefined ? bandwidths(mus, low, high, o) : mus.map(() => clipSigma(sigma0 * (high - low), mus.length, low, high, o));
  if (withPrior) sigmas[n] = high - low;
  return { dist, weights, kernels: { kind: 'numeric', low, high, q, mus, sigmas } };
}

/** A bandwidth clipped to [range / min(100, 1 + kernels) (the magic clip), range]. */
function clipSigma(sigma: number, kernels: number, low: number, high: number, o: ParzenOptions): number {
  const minSigma = o.considerMagicClip ? (high - low) / Math.min(100, 1 + kernels) : 1e-12;
  return Math.min(high - low, Math.max(minSigma, sigma));
}

/**
 * Draws n values (internal representation, snapped to the distribution's grid). All kernel choices are
 * drawn before all positions, the order Optuna consumes its stream in, so a numpy-compatible Rng
 * reproduces Optuna's candidates.
 */
export function sampleParzen(pe: ParzenEstimator, rng: Rng, n: number): number[] {
  return sampleKernels(pe, rng, drawKernels(pe, rng, n));
}

/** Which kernel each of n draws comes from (one draw of the mixture weights each). */
export function drawKernels(pe: Pick<ParzenEstimator, 'weights'>, rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => weightedIndex(rng, pe.weights));
}

/** One value from each of the given kernels (internal representation, snapped to the distribution's grid). */
export function sampleKernels(pe: ParzenEstimator, rng: Rng, active: readonly number[]): number[] {
  const k = pe.kernels;
  if (k.kind === 'categorical') return active.map((c) => firstCumulativeAtLeast(probsOf(k, c), rng.next()));
  return active.map((c) => {
    const { mu, s } = kernelOf(k, c);
    const x = truncnormPpf(rng.next(), (k.low - mu) / s, (k.high - mu) / s) * s + mu;
    return toInternal(pe.dist, fromInternal(pe.dist, x)) ?? x;
  });
}

/** Kernel c's categorical probabilities; c indexes the mixture weights, one per kernel. */
function probsOf(k: Extract<Kernels, { kind: 'categorical' }>, c: number): number[] {
  return must(k.probs[c], 'one probability row per mixture weight');
}

/** Kernel c's centre and width; c indexes the mixture weights, one per kernel. */
function kernelOf(k: Extract<Kernels, { kind: 'numeric' }>, c: number): { mu: number; s: number } {
  return { mu: must(k.mus[c], 'one mu per mixture weight'), s: must(k.sigmas[c], 'one sigma per mixture weight') };
}

/** Index of the first cumulative probability >= u (Optuna's categorical draw). */
function firstCumulativeAtLeast(probs: readonly number[], u: number): number {
  let acc = 0;
  for (const [i, p] of probs.entries()) if ((acc += p) >= u) return i;
  return probs.length - 1;
}

/** log density (log probability mass for stepped and categorical parameters) of x under the mixture. */
export function logPdfParzen(pe: ParzenEstimator, x: number, density: ParzenOptions['kernelDensity'] = 'normalized'): number {
  let acc = -Infinity;
  for (const [c, weight] of pe.weights.entries()) acc = logAddExp(acc, componentLogPdf(pe, c, x, density) + Math.log(weight));
  return acc;
}

/** log density (or mass) of x under kernel c alone. */
export function componentLogPdf(pe: ParzenEstimator, c: number, x: number, density: ParzenOptions['kernelDensity'] = 'normalized'): number {
  const k = pe.kernels;
  // A value outside the choices has no mass.
  if (k.kind === 'categorical') return Math.log(probsOf(k, c)[x] ?? 0);
  const { mu, s } = kernelOf(k, c);
  const logZ = kernelLogMass(k, c, mu, s);
  if (k.q === undefined) {
    const z = (x - mu) / s;
    if (z < (k.low - mu) / s || z > (k.high - mu) / s) return -Infinity;
    return -0.5 * z * z - LOG_SQRT_2PI - logZ - (density === 'optuna31' ? 0 : Math.log(s));
  }
  // A stepped value stands for the bucket of width q around it.
  const lo = (Math.max(x - k.q / 2, k.low) - mu) / s;
  const hi = (Math.min(x + k.q / 2, k.high) - mu) / s;
  return logGaussMass(lo, hi) - logZ;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Each kernel's log mass inside the range, computed once per fitted estimator: scoring many candidates against every kernel recomputed it per candidate. */
const logMassCache = new WeakMap<object, number[]>();

function kernelLogMass(k: Extract<Kernels, { kind: 'numeric' }>, c: number, mu: number, s: number): number {
  let cache = logMassCache.get(k);
  if (cache === undefined) logMassCache.set(k, (cache = []));
  return (cache[c] ??= logGaussMass((k.low - mu) / s, (k.high - mu) / s));
}
