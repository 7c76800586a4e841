// Points of a search space as vectors for the Gaussian process: a numeric parameter becomes its
// position in [0, 1] along its internal range (log scale for log distributions, stepped ranges
// widened by half a step as the TPE's), a choice its index.
import { must } from '@kiln/core/errors';
import { randInt, type Rng } from '../../../random/rng.ts';
import { bounds, fromInternal, toInternal } from '../parzen.ts';
import type { Distribution, Params, SearchSpace } from '../space.ts';

/** One coordinate of the encoding. */
export interface Axis {
  name: string;
  dist: Distribution;
  /** A categorical parameter: its coordinate is the choice's index. */
  choice: boolean;
  /** Internal range of a numeric axis (unused for choices). */
  low: number;
  high: number;
}

/** The axes of a space, in its declared order. */
export function axesOf(space: SearchSpace): Axis[] {
  return Object.entries(space).map(([name, dist]) => {
    if (dist.type === 'values') return { name, dist, choice: true, low: 0, high: 0 };
    const { low, high } = bounds(dist);
    return { name, dist, choice: false, low, high };
  });
}

/** A point's coordinates, or undefined when a parameter is missing or outside its distribution. */
export function encode(axes: readonly Axis[], params: Params): number[] | undefined {
  const out: number[] = [];
  for (const a of axes) {
    const x = toInternal(a.dist, params[a.name]);
    if (x === undefined) return undefined;
    out.push(a.choice ? x : a.high > a.low ? (x - a.low) / (a.high - a.low) : 0.5);
  }
  return out;
}

/** The parameters at coordinates u (snapped to steps and integers, clipped into range). */
export function decode(axes: readonly Axis[], u: readonly number[]): Params {
  return Object.fromEntries(
    axes.map((a, d) => {
      const x = must(u[d], 'one coordinate per axis');
      return [a.name, fromInternal(a.dist, a.choice ? x : a.low + Math.min(1, Math.max(0, x)) * (a.high - a.low))];
    }),
  );
}

/** u moved to the point its parameters would actually take, so the model scores what would be run. */
export function snap(axes: readonly Axis[], u: readonly number[]): number[] {
  return must(encode(axes, decode(axes, u)), 'a decoded point encodes');
}

/** A uniformly random point: each numeric coordinate in [0, 1], each choice index equally likely. */
export function randomPoint(axes: readonly Axis[], rng: Rng): number[] {
  return axes.map((a) => (a.dist.type === 'values' ? randInt(rng, a.dist.values.length) : rng.next()));
}
