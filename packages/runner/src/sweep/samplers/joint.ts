// Multivariate Parzen estimator (Optuna's multivariate=True): kernel i is the product over the
// parameters of one kernel per parameter, all centred on observation i, so a draw keeps the
// observation's parameters together and l(x)/g(x) scores whole points, not each coordinate alone.
// Numeric widths follow Scott's rule: sigma0 = scale * n^(-1/(d+4)) times the range (Optuna, scale
// 0.2), the observations' standard deviation, or the geometric mean of the two (Kiln's default);
// categorical parameters keep the univariate kernels.
import { logAddExp } from './normal.ts';
import { componentLogPdf, drawKernels, fitParzen, sampleKernels, type ParzenEstimator, type ParzenOptions } from './parzen.ts';
import type { Rng } from '../../random/rng.ts';
import type { Distribution } from './space.ts';

export interface JointOptions extends ParzenOptions {
  /** Scott-rule factor of the kernel widths (Optuna: 0.2). */
  sigmaScale: number;
  /**
   * What a numeric kernel's width scales with: 'range' (Optuna: sigmaScale * (high - low)), 'spread'
   * (Scott's rule proper: the observations' standard deviation in that dimension, so the good group's
   * tight cluster gets narrow kernels) or 'mixed' (the geometric mean of the two: narrower where the
   * good trials cluster, never as narrow as 'spread').
   */
  bandwidth: 'range' | 'spread' | 'mixed';
}

/** One Parzen estimator per dimension sharing kernel weights: kernel c of every dimension forms one product kernel. */
export interface JointEstimator {
  dims: ParzenEstimator[];
  weights: number[];
}

/** Optuna's multivariate width factor for n observations in d dimensions. */
export function scottSigma0(n: number, d: number, scale = 0.2): number {
  return scale * Math.max(n, 1) ** (-1 / (d + 4));
}

/** The observations' standard deviation as a fraction of the range (1 with fewer than two). */
function spreadFactor(d: Distribution, xs: readonly number[]): number {
  if (xs.length < 2 || d.type === 'values') return 1;
  const range = d.type === 'logUniform' || d.type === 'intLog' ? Math.log(d.high) - Math.log(d.low) : d.high - d.low;
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return range > 0 ? sd / range : 1;
}

/** Fits the joint estimator; `rows[i][j]` is observation i's internal value of dimension j (chronological rows). */
export function fitJoint(dists: readonly Distribution[], rows: readonly (readonly number[])[], o: JointOptions): JointEstimator {
  const sigma0 = scottSigma0(rows.length, dists.length, o.sigmaScale);
  const dims = dists.map((d, j) => {
    const xs = rows.map((r) => r[j] ?? Number.NaN);
    const factor = o.bandwidth === 'range' ? 1 : spreadFactor(d, xs) ** (o.bandwidth === 'mixed' ? 0.5 : 1);
    return fitParzen(d, xs, o, factor * sigma0);
  });
  const [first] = dims;
  return { dims, weights: first?.weights ?? [1] };
}

/** n points drawn jointly: one product kernel per point, then every dimension from that kernel (Optuna's stream order). */
export function sampleJoint(je: JointEstimator, rng: Rng, n: number): number[][] {
  const active = drawKernels(je, rng, n);
  const columns = je.dims.map((pe) => sampleKernels(pe, rng, active));
  return active.map((_, i) => columns.map((col) => col[i] ?? Number.NaN));
}

/** log density of a point under the joint mixture: log sum_c w_c prod_j k_cj(x_j). */
export function logPdfJoint(je: JointEstimator, x: readonly number[], density: ParzenOptions['kernelDensity'] = 'normalized'): number {
  let acc = -Infinity;
  for (const [c, w] of je.weights.entries()) {
    let lp = Math.log(w);
    for (const [j, pe] of je.dims.entries()) lp += componentLogPdf(pe, c, x[j] ?? Number.NaN, density);
    acc = logAddExp(acc, lp);
  }
  return acc;
}
