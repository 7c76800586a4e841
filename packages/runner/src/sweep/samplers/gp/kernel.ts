// The Gaussian process's covariance: Matern 5/2 with one length scale per axis (ARD), the kernel
// Optuna's GPSampler and BoTorch use. Numeric axes live in the unit cube; a choice axis adds a
// squared gap of 1 when two points differ in it (a Hamming distance), 0 when they agree.
import type { Axis } from './encode.ts';

const SQRT5 = Math.sqrt(5);

/** Matern 5/2 correlation at squared scaled distance r2. */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** d matern52 / d r2. */
export function matern52Slope(r2: number): number {
  const r = Math.sqrt(r2);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Squared gap between two points along one axis. */
export function axisGap(axis: Pick<Axis, 'choice'>, a: number, b: number): number {
  return axis.choice ? (a === b ? 0 : 1) : (a - b) ** 2;
}

/** Scaled squared distance: sum over axes of lambda (inverse squared length scale) times the gap. */
export function scaledDistance(axes: readonly Pick<Axis, 'choice'>[], lambdas: readonly number[], a: readonly number[], b: readonly number[]): number {
  let r2 = 0;
  axes.forEach((axis, d) => (r2 += (lambdas[d] ?? 1) * axisGap(axis, a[d] ?? 0, b[d] ?? 0)));
  return r2;
}
