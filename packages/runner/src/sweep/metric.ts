// Reading the sweep metric from a trial's epochs, and which of its values is best.
import { splitMetricKey } from '@kiln/core';
import type { Goal } from './plan.ts';

/** The value of `train.x` / `val.x` / `val.head.x` in one epoch's metrics; undefined when the epoch does not report it. */
export function readEpochMetric(metrics: unknown, key: string): number | undefined {
  const [split, name] = splitMetricKey(key);
  if (metrics === null || typeof metrics !== 'object') return undefined;
  const group = (metrics as Record<string, unknown>)[split];
  if (group === null || typeof group !== 'object') return undefined;
  const v = (group as Record<string, unknown>)[name];
  return typeof v === 'number' ? v : undefined;
}

/** The best finite value of a curve for the goal, null when it has none (a diverged trial). */
export function bestOf(curve: ReadonlyArray<readonly [number, number]>, goal: Goal): number | null {
  let best: number | null = null;
  for (const [, v] of curve) {
    if (!Number.isFinite(v)) continue;
    if (best === null || (goal === 'maximize' ? v > best : v < best)) best = v;
  }
  return best;
}

/** Whether a beats b for the goal (null never beats anything). */
export function better(a: number | null, b: number | null, goal: Goal): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return goal === 'maximize' ? a > b : a < b;
}
