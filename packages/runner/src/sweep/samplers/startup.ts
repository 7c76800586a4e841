// Space-filling start-up: each random start-up trial is the best of k uniform draws, the one
// farthest from every trial so far (finished, pruned or still running), so the first few trials
// cover the space instead of clumping by chance, and parallel workers starting together spread out.
// It needs no shared sequence state, unlike a Sobol or Halton sequence, which the sweep's per-trial
// generators (one seeded stream per trial number) could not continue across workers.
import type { Rng } from '../../random/rng.ts';
import { sampleSpace } from './random.ts';
import type { Distribution, Params, SearchSpace } from './space.ts';
import type { Trial } from './trial.ts';

/** Position of a value in [0, 1] along its distribution (log scale for log ones), or a choice's index; undefined when unset. */
function coordinate(d: Distribution, v: Params[string] | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (d.type === 'values') return d.values.indexOf(v);
  const log = d.type === 'logUniform' || d.type === 'intLog';
  const [lo, hi, x] = log ? [Math.log(d.low), Math.log(d.high), Math.log(Number(v))] : [d.low, d.high, Number(v)];
  return hi > lo ? (x - lo) / (hi - lo) : 0;
}

/** Distance between two points over the parameters both have: numeric gaps in the unit cube, 1 for each differing choice. */
export function spaceDistance(space: SearchSpace, a: Params, b: Params): number {
  let sq = 0;
  for (const [name, d] of Object.entries(space)) {
    const x = coordinate(d, a[name]);
    const y = coordinate(d, b[name]);
    if (x === undefined || y === undefined) continue;
    sq += d.type === 'values' ? (x === y ? 0 : 1) : (x - y) ** 2;
  }
  return Math.sqrt(sq);
}

/** The best of k random draws: the farthest from its nearest trial in the history (plain random with k = 1 or no history). */
export function spreadStartup(space: SearchSpace, history: readonly Trial[], rng: Rng, k: number): Params {
  const first = sampleSpace(space, rng);
  if (k <= 1 || history.length === 0) return first;
  const nearest = (p: Params) => Math.min(...history.map((t) => spaceDistance(space, p, t.params)));
  let best = first;
  let bestGap = nearest(first);
  for (let i = 1; i < k; i++) {
    const p = sampleSpace(space, rng);
    const gap = nearest(p);
    if (gap > bestGap) [best, bestGap] = [p, gap];
  }
  return best;
}
