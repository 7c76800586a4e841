// How the good ("below") trials weigh in l(x). Optuna weighs them alike (recency ramps only start
// past 25 trials), so the fifth-best trial pulls the proposals as hard as the best one; 'rank'
// gives the best trial the most weight, falling linearly to the last, which refines around the best
// trials sooner on smooth objectives while every good trial keeps a kernel.
import type { ParzenOptions } from './parzen.ts';

/** A below-group observation's loss and finished-ness, as ranked by splitObservations. */
export interface Ranked {
  stepKey: number;
  loss: number;
}

/** Linear rank weights in chronological order: the best of m observations weighs m, the worst 1. */
export function rankWeights(obs: readonly Ranked[]): number[] {
  const order = obs.map((o, i) => ({ o, i })).sort((a, b) => a.o.stepKey - b.o.stepKey || a.o.loss - b.o.loss || a.i - b.i);
  const w = new Array<number>(obs.length).fill(1);
  order.forEach(({ i }, rank) => (w[i] = obs.length - rank));
  return w;
}

/** The Parzen options for l(x) fitted on `kept` (chronological): Optuna's recency weights, or rank weights. */
export function belowOptions<O extends ParzenOptions>(o: O & { belowWeights: 'uniform' | 'rank' }, kept: readonly Ranked[]): O {
  if (o.belowWeights === 'uniform') return o;
  const w = rankWeights(kept);
  return { ...o, weights: (n: number) => (n === w.length ? w : o.weights(n)) };
}
