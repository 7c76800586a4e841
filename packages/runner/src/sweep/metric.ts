// Reading the sweep metric from a trial's epochs, and which of its values is best.
import { splitMetricKey } from '@kiln/core';
import type { RunResult } from '../run/result.ts';
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

/** The sweep metric of the model a trial kept (its run's summary value), null when it kept none or the value is not finite. */
export function keptValue(result: Pick<RunResult, 'keptEpoch' | 'metrics'> & Partial<Pick<RunResult, 'folds' | 'status'>>, metric: string): number | null {
  // A k-fold parent keeps no model of its own: its value is the folds' mean, once every fold finished.
  if (result.folds !== undefined ? result.status !== 'finished' : result.keptEpoch === undefined) return null;
  const [split, name] = splitMetricKey(metric);
  const v = (result.metrics as Record<string, Record<string, number> | undefined>)[split]?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Whether a beats b for the goal (null never beats anything). */
export function better(a: number | null, b: number | null, goal: Goal): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return goal === 'maximize' ? a > b : a < b;
}
