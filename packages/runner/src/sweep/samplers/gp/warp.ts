// How the finished trials' losses are rescaled before the Gaussian process sees them. A process
// with one signal scale models a heavy-tailed objective badly (a few diverged or far-off trials
// set the scale and the good region looks flat), so the losses can be warped first by a monotone
// map: the best trial stays the best, and expected improvement is taken on the warped scale.
import { ndtriExp } from '../normal.ts';

/** standardize: (y - mean) / sd; rank: normal quantiles of the ranks (a Gaussian copula); yeo-johnson: the power transform of best likelihood, then standardised. */
export type Warp = 'standardize' | 'rank' | 'yeo-johnson';

function standardize(y: readonly number[]): number[] {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length) || 1;
  return y.map((v) => (v - mean) / sd);
}

/** Normal quantiles of mid-ranks (ties share their mean rank). */
function rankWarp(y: readonly number[]): number[] {
  const order = y.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(y.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]?.v === order[k]?.v) end++;
    const q = ((k + end) / 2 + 0.5) / y.length;
    for (let j = k; j <= end; j++) out[order[j]?.i ?? 0] = ndtriExp(Math.log(q));
    k = end + 1;
  }
  return out;
}

/** The Yeo-Johnson transform of v with power lambda. */
export function yeoJohnson(v: number, lambda: number): number {
  if (v >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(v) : ((1 + v) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-9 ? -Math.log1p(-v) : -((1 - v) ** (2 - lambda) - 1) / (2 - lambda);
}

/** Yeo-Johnson with the lambda in [-2, 2] (steps of 0.1) that makes the standardised losses most normal. */
function yeoJohnsonWarp(y: readonly number[]): number[] {
  const z = standardize(y);
  let best = { ll: -Infinity, t: z };
  for (let k = -20; k <= 20; k++) {
    const lambda = k / 10;
    const t = z.map((v) => yeoJohnson(v, lambda));
    const mean = t.reduce((s, v) => s + v, 0) / t.length;
    const variance = t.reduce((s, v) => s + (v - mean) ** 2, 0) / t.length;
    // Profile log-likelihood of a normal fit plus the transform's log-Jacobian.
    const ll = -0.5 * t.length * Math.log(variance || 1e-300) + (lambda - 1) * z.reduce((s, v) => s + Math.sign(v) * Math.log1p(Math.abs(v)), 0);
    if (ll > best.ll) best = { ll, t };
  }
  return standardize(best.t);
}

/** The losses y on the chosen scale. */
export function warpLosses(y: readonly number[], warp: Warp): number[] {
  if (warp === 'rank') return rankWarp(y);
  if (warp === 'yeo-johnson') return yeoJohnsonWarp(y);
  return standardize(y);
}
