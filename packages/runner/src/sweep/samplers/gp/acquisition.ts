// Where to evaluate next: the point of highest expected improvement over the best trial, in log
// space (logEI, Ament et al. 2023) so that far from the incumbent, where EI underflows to 0, the
// search still sees which way improves. Maximised by random candidates, then a (1+1) evolution
// strategy from the best few of them and from the incumbent.
import { gaussian, randInt, type Rng } from '../../../random/rng.ts';
import { logNdtr, ndtr } from '../normal.ts';
import { randomPoint, type Axis } from './encode.ts';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const logPhi = (z: number) => -0.5 * z * z - LOG_SQRT_2PI;

/** log(z Phi(z) + phi(z)), the expected improvement of a standard normal over -z, accurate for very negative z. */
export function logH(z: number): number {
  if (z > -1) return Math.log(z * ndtr(z) + Math.exp(logPhi(z)));
  // h(z) = phi(t) (1 - t R(t)) for t = -z, R the Mills ratio Phi(-t) / phi(t).
  const t = -z;
  const tr = t * Math.exp(logNdtr(-t) - logPhi(t));
  return tr < 1 ? logPhi(t) + Math.log1p(-tr) : logPhi(t) - 2 * Math.log(t);
}

/** log EI of a minimised objective with posterior mean and sd at a point, over the best value so far. */
export function logEi(mean: number, sd: number, best: number): number {
  return Math.log(sd) + logH((best - mean) / sd);
}

export interface SearchOptions {
  /** Random points scored first. */
  candidates: number;
  /** The best random points (and the incumbents given) refined by local search. */
  localStarts: number;
  /** Steps of each local search. */
  localSteps: number;
}

/** A neighbour of u: numeric coordinates moved by N(0, step^2) and clipped to [0, 1]; one choice in `axes.length` redrawn. */
function neighbour(axes: readonly Axis[], u: readonly number[], step: number, rng: Rng): number[] {
  return axes.map((a, d) => {
    const x = u[d] ?? 0;
    if (a.dist.type === 'values') return rng.next() < 1 / axes.length ? randInt(rng, a.dist.values.length) : x;
    return Math.min(1, Math.max(0, x + step * gaussian(() => rng.next())));
  });
}

/** (1+1)-ES with the 1/5 success rule from u; returns the best point and its score. */
function localSearch(axes: readonly Axis[], score: (u: number[]) => number, u: number[], value: number, steps: number, rng: Rng): { u: number[]; value: number } {
  let best = { u, value };
  let step = 0.1;
  for (let i = 0; i < steps && step > 1e-5; i++) {
    const cand = neighbour(axes, best.u, step, rng);
    const v = score(cand);
    if (v > best.value) {
      best = { u: cand, value: v };
      step *= 1.5;
    } else {
      step *= 0.9;
    }
  }
  return best;
}

/** The point maximising `score` found by random candidates plus local search from the best of them and from `starts`. */
export function maximise(axes: readonly Axis[], score: (u: number[]) => number, starts: readonly (readonly number[])[], rng: Rng, o: SearchOptions): number[] {
  const scored: Array<{ u: number[]; value: number }> = [];
  for (let i = 0; i < o.candidates; i++) {
    const u = randomPoint(axes, rng);
    scored.push({ u, value: score(u) });
  }
  scored.sort((a, b) => b.value - a.value);
  const seeds = [...scored.slice(0, o.localStarts), ...starts.map((s) => ({ u: [...s], value: score([...s]) }))];
  let best = scored[0] ?? { u: axes.map(() => 0.5), value: -Infinity };
  for (const s of seeds) {
    const r = localSearch(axes, score, s.u, s.value, o.localSteps, rng);
    if (r.value > best.value) best = r;
  }
  return best.u;
}
