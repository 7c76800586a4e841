// Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search:
// enough for the Gaussian process's few hyperparameters, whose objective is smooth but whose
// Cholesky factorisation can fail far from the optimum (reported as a value of +Infinity).

/** An objective's value and gradient at a point. */
export interface ValueAndGradient {
  value: number;
  grad: number[];
}

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop once the gradient's largest component is below this. */
  gradTolerance: number;
  /** Remembered curvature pairs. */
  memory: number;
}

const DEFAULTS: LbfgsOptions = { maxIterations: 100, gradTolerance: 1e-5, memory: 10 };

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

/** The point where `f` is smallest along the search (the start when no step improves it), and its value. */
export function minimize(f: (x: number[]) => ValueAndGradient, start: readonly number[], options: Partial<LbfgsOptions> = {}): { x: number[]; value: number } {
  const o = { ...DEFAULTS, ...options };
  let x = [...start];
  let cur = f(x);
  if (!Number.isFinite(cur.value)) return { x, value: cur.value };
  const pairs: Array<{ s: number[]; y: number[]; rho: number }> = [];
  for (let it = 0; it < o.maxIterations; it++) {
    if (Math.max(...cur.grad.map(Math.abs)) < o.gradTolerance) break;
    const dir = direction(cur.grad, pairs);
    let slope = dot(dir, cur.grad);
    // Not a descent direction (curvature memory gone stale): fall back to steepest descent.
    if (!(slope < 0)) {
      pairs.length = 0;
      dir.splice(0, dir.length, ...cur.grad.map((g) => -g));
      slope = dot(dir, cur.grad);
    }
    let step = pairs.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let next: ValueAndGradient | undefined;
    let xNext: number[] = x;
    for (let tries = 0; tries < 30; tries++, step *= 0.5) {
      xNext = x.map((xi, i) => xi + step * (dir[i] ?? 0));
      const cand = f(xNext);
      if (Number.isFinite(cand.value) && cand.value <= cur.value + 1e-4 * step * slope) {
        next = cand;
        break;
      }
    }
    if (next === undefined) break;
    const s = xNext.map((v, i) => v - (x[i] ?? 0));
    const y = next.grad.map((g, i) => g - (cur.grad[i] ?? 0));
    const sy = dot(s, y);
    if (sy > 1e-12) {
      pairs.push({ s, y, rho: 1 / sy });
      if (pairs.length > o.memory) pairs.shift();
    }
    const improvement = cur.value - next.value;
    x = xNext;
    cur = next;
    if (improvement < 1e-10 * Math.max(1, Math.abs(cur.value))) break;
  }
  return { x, value: cur.value };
}

/** -H g by the two-loop recursion over the remembered pairs. */
function direction(grad: readonly number[], pairs: ReadonlyArray<{ s: number[]; y: number[]; rho: number }>): number[] {
  const q = [...grad];
  const alphas: number[] = [];
  for (let k = pairs.length - 1; k >= 0; k--) {
    const p = pairs[k];
    if (p === undefined) continue;
    const a = p.rho * dot(p.s, q);
    alphas[k] = a;
    p.y.forEach((yi, i) => (q[i] = (q[i] ?? 0) - a * yi));
  }
  const last = pairs[pairs.length - 1];
  const gamma = last === undefined ? 1 : dot(last.s, last.y) / dot(last.y, last.y);
  const r = q.map((v) => gamma * v);
  for (let k = 0; k < pairs.length; k++) {
    const p = pairs[k];
    if (p === undefined) continue;
    const b = p.rho * dot(p.y, r);
    p.s.forEach((si, i) => (r[i] = (r[i] ?? 0) + si * ((alphas[k] ?? 0) - b)));
  }
  return r.map((v) => -v);
}
