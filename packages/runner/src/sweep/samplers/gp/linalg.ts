// Dense linear algebra for the Gaussian process: symmetric positive-definite n x n matrices
// (row-major Float64Array), n being the number of trials (tens to a few hundred), so plain loops.

/** a[i] of a typed array whose bounds the loops guarantee. */
export const at = (a: Float64Array, i: number): number => a[i] as number;

/** Lower Cholesky factor L of A (A = L L^T), or undefined when A is not numerically positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = at(a, i * n + j);
      for (let k = 0; k < j; k++) s -= at(l, i * n + k) * at(l, j * n + k);
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / at(l, j * n + j);
      }
    }
  }
  return l;
}

/** x with L x = b (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= at(l, i * n + k) * at(x, k);
    x[i] = s / at(l, i * n + i);
  }
  return x;
}

/** x with L^T x = b (back substitution on the transpose). */
export function solveUpper(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= at(l, k * n + i) * at(x, k);
    x[i] = s / at(l, i * n + i);
  }
  return x;
}

/** A^-1 from A's Cholesky factor, column by column. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = solveUpper(l, n, solveLower(l, n, e));
    for (let i = 0; i < n; i++) inv[i * n + j] = at(col, i);
  }
  return inv;
}

/** Sum of log L_ii: half of log det A. */
export function halfLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(at(l, i * n + i));
  return s;
}
