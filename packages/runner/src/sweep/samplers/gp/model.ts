// A Gaussian process over the encoded trials: hyperparameters (one inverse squared length scale per
// axis, the signal scale and the noise) fitted by maximising the marginal likelihood plus Optuna
// GPSampler's priors, then the posterior mean and standard deviation at any point.
import { at, cholesky, choleskyInverse, halfLogDet, solveLower, solveUpper } from './linalg.ts';
import { axisGap, matern52, matern52Slope, scaledDistance } from './kernel.ts';
import { minimize, type ValueAndGradient } from './lbfgs.ts';
import type { Axis } from './encode.ts';

/** Kernel hyperparameters. */
export interface Hyper {
  /** Inverse squared length scale per axis. */
  lambdas: number[];
  /** Signal variance. */
  scale: number;
  /** Observation noise variance. */
  noise: number;
}

/** A process conditioned on observations: what prediction needs. */
export interface Gp {
  axes: readonly Pick<Axis, 'choice'>[];
  hyper: Hyper;
  x: readonly (readonly number[])[];
  l: Float64Array;
  alpha: Float64Array;
}

// Objectives are usually deterministic; the floor keeps K invertible when two trials coincide.
const NOISE_FLOOR = 1e-6;
const LOG_2PI = Math.log(2 * Math.PI);

function unpack(theta: readonly number[], dims: number): Hyper {
  return {
    lambdas: theta.slice(0, dims).map(Math.exp),
    scale: Math.exp(theta[dims] ?? 0),
    noise: NOISE_FLOOR + Math.exp(theta[dims + 1] ?? 0),
  };
}

/** Squared gaps between every pair of points, one n x n matrix per axis. */
function pairGaps(axes: readonly Pick<Axis, 'choice'>[], x: readonly (readonly number[])[]): Float64Array[] {
  const n = x.length;
  return axes.map((axis, d) => {
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[i * n + j] = g[j * n + i] = axisGap(axis, x[i]?.[d] ?? 0, x[j]?.[d] ?? 0);
    return g;
  });
}

/**
 * Negative log marginal likelihood minus the log prior, and its gradient in log hyperparameters.
 * Priors as Optuna's GPSampler: length scales pulled towards the unit cube's size, a Gamma(2, 1)
 * signal scale and a Gamma(1.1, 30) noise that favours small noise.
 */
export function negLogPosterior(theta: readonly number[], gaps: readonly Float64Array[], y: readonly number[]): ValueAndGradient {
  const dims = gaps.length;
  const n = y.length;
  const h = unpack(theta, dims);
  const r2 = new Float64Array(n * n);
  gaps.forEach((g, d) => {
    const lam = h.lambdas[d] ?? 1;
    for (let k = 0; k < n * n; k++) r2[k] = at(r2, k) + lam * at(g, k);
  });
  const k = r2.map((v, idx) => h.scale * matern52(v) + (idx % (n + 1) === 0 ? h.noise : 0));
  const l = cholesky(k, n);
  if (l === undefined) return { value: Infinity, grad: theta.map(() => 0) };
  const alpha = solveUpper(l, n, solveLower(l, n, y));
  const nll = 0.5 * y.reduce((s, yi, i) => s + yi * at(alpha, i), 0) + halfLogDet(l, n) + 0.5 * n * LOG_2PI;
  const inv = choleskyInverse(l, n);
  // W = alpha alpha^T - K^-1: d log p / d theta = 1/2 tr(W dK/d theta).
  const w = inv.map((v, idx) => at(alpha, Math.floor(idx / n)) * at(alpha, idx % n) - v);
  const slope = r2.map((v) => h.scale * matern52Slope(v));
  const grad = gaps.map((g, d) => {
    let s = 0;
    for (let idx = 0; idx < n * n; idx++) s += at(w, idx) * at(slope, idx) * at(g, idx);
    const lam = h.lambdas[d] ?? 1;
    return -0.5 * lam * s - (0.1 / lam - 0.1 * lam);
  });
  let sScale = 0;
  let trace = 0;
  for (let idx = 0; idx < n * n; idx++) sScale += at(w, idx) * h.scale * matern52(at(r2, idx));
  for (let i = 0; i < n; i++) trace += at(w, i * (n + 1));
  const noiseRaw = h.noise - NOISE_FLOOR;
  grad.push(-0.5 * sScale - (1 - h.scale), -0.5 * noiseRaw * trace - (0.1 / h.noise - 30) * noiseRaw);
  const logPrior = h.lambdas.reduce((s, lam) => s - 0.1 / lam - 0.1 * lam, 0) + (Math.log(h.scale) - h.scale) + (0.1 * Math.log(h.noise) - 30 * h.noise);
  return { value: nll - logPrior, grad };
}

/** Hyperparameters of the maximum a posteriori fit to (x, y); y should be standardised. */
export function fitHyper(axes: readonly Pick<Axis, 'choice'>[], x: readonly (readonly number[])[], y: readonly number[]): Hyper {
  const gaps = pairGaps(axes, x);
  const start = [...axes.map(() => 0), 0, Math.log(1e-2)];
  const fit = minimize((theta) => negLogPosterior(theta, gaps, y), start, { maxIterations: 200 });
  return unpack(Number.isFinite(fit.value) ? fit.x : start, axes.length);
}

/**
 * The process conditioned on (x, y) with fixed hyperparameters; jitter grows until K factorises.
 * `exactFrom`: points from this index on are observed without noise (pending trials' believed values).
 */
export function condition(axes: readonly Pick<Axis, 'choice'>[], hyper: Hyper, x: readonly (readonly number[])[], y: readonly number[], exactFrom = x.length): Gp {
  const n = x.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) k[i * n + j] = k[j * n + i] = hyper.scale * matern52(scaledDistance(axes, hyper.lambdas, x[i] ?? [], x[j] ?? []));
  }
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-8 : jitter * 10) {
    const kj = k.map((v, idx) => (idx % (n + 1) === 0 ? v + (idx / (n + 1) < exactFrom ? hyper.noise : NOISE_FLOOR) + jitter : v));
    const l = cholesky(kj, n);
    if (l !== undefined) return { axes, hyper, x, l, alpha: solveUpper(l, n, solveLower(l, n, y)) };
    if (jitter > hyper.scale) throw new Error('the covariance matrix does not factorise even with jitter');
  }
}

/** Posterior mean and standard deviation of the latent objective at u. */
export function predict(gp: Gp, u: readonly number[]): { mean: number; sd: number } {
  const n = gp.x.length;
  const ks = gp.x.map((xi) => gp.hyper.scale * matern52(scaledDistance(gp.axes, gp.hyper.lambdas, u, xi)));
  const mean = ks.reduce((s, kv, i) => s + kv * at(gp.alpha, i), 0);
  const v = solveLower(gp.l, n, ks);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += at(v, i) ** 2;
  return { mean, sd: Math.sqrt(Math.max(gp.hyper.scale - vv, 1e-20)) };
}
