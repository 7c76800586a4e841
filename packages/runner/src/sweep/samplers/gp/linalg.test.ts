import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse, halfLogDet, solveLower, solveUpper } from './linalg.ts';

// A = B B^T + I for a fixed B: symmetric positive definite.
const B = [
  [2, 1, 0],
  [1, 3, 1],
  [0, 1, 4],
];
const A = Float64Array.from({ length: 9 }, (_, k) => {
  const [i, j] = [Math.floor(k / 3), k % 3];
  return B[i]!.reduce((s, b, m) => s + b * B[j]![m]!, 0) + (i === j ? 1 : 0);
});

describe('Cholesky', () => {
  it('factors A as L L^T with L lower triangular', () => {
    const l = cholesky(A, 3)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j > i) expect(l[i * 3 + j]).toBe(0);
        const llt = [0, 1, 2].reduce((s, k) => s + l[i * 3 + k]! * l[j * 3 + k]!, 0);
        expect(llt).toBeCloseTo(A[i * 3 + j]!, 12);
      }
    }
    // det A = product of L_ii squared.
    const det = A[0]! * (A[4]! * A[8]! - A[5]! * A[7]!) - A[1]! * (A[3]! * A[8]! - A[5]! * A[6]!) + A[2]! * (A[3]! * A[7]! - A[4]! * A[6]!);
    expect(2 * halfLogDet(l, 3)).toBeCloseTo(Math.log(det), 12);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined();
  });

  it('solves A x = b and inverts A', () => {
    const l = cholesky(A, 3)!;
    const b = [1, -2, 0.5];
    const x = solveUpper(l, 3, solveLower(l, 3, b));
    for (let i = 0; i < 3; i++) expect([0, 1, 2].reduce((s, j) => s + A[i * 3 + j]! * x[j]!, 0)).toBeCloseTo(b[i]!, 12);
    const inv = choleskyInverse(l, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect([0, 1, 2].reduce((s, k) => s + A[i * 3 + k]! * inv[k * 3 + j]!, 0)).toBeCloseTo(i === j ? 1 : 0, 12);
  });
});
