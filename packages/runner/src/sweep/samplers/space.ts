import { kilnError, type KilnError } from '@kiln/core';

/** A categorical choice. */
export type Choice = number | string | boolean;

/**
 * When a parameter exists: every named parameter must exist and take one of the listed values
 * (e.g. momentum only when the optimizer is sgd). Unset, the parameter always exists.
 */
export type Condition = Readonly<Record<string, Choice | readonly Choice[]>>;

/** One parameter's distribution; the search space maps parameter names (e.g. spec paths) to these. */
export type Distribution = (
  | { type: 'values'; values: readonly Choice[] }
  | { type: 'uniform'; low: number; high: number; step?: number }
  | { type: 'logUniform'; low: number; high: number }
  | { type: 'int'; low: number; high: number; step?: number }
  | { type: 'intLog'; low: number; high: number }
) & { when?: Condition };

/** Parameter name -> distribution; iteration order is the order samplers visit parameters. */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** One point of a search space. */
export type Params = Record<string, Choice>;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Problems with one distribution (empty when it is usable); `path` is the parameter name. */
export function validateDistribution(path: string, d: Distribution): KilnError[] {
  const bad = (message: string, hint?: string) => [kilnError('sweep/bad-distribution', path, message, hint)];
  if (d.type === 'values') {
    if (!Array.isArray(d.values) || d.values.length === 0) return bad(`'${path}' needs at least one value`);
    return [];
  }
  if (!finite(d.low) || !finite(d.high)) return bad(`'${path}' needs finite numbers low and high`);
  if (d.low > d.high) return bad(`'${path}' has low ${d.low} above high ${d.high}`, 'swap low and high');
  if ((d.type === 'int' || d.type === 'intLog') && (!Number.isInteger(d.low) || !Number.isInteger(d.high))) {
    return bad(`'${path}' is an integer range but low/high are not integers`);
  }
  if ((d.type === 'logUniform' || d.type === 'intLog') && d.low <= 0) {
    return bad(`'${path}' is log-scaled so low must be > 0 (got ${d.low})`);
  }
  if ((d.type === 'uniform' || d.type === 'int') && d.step !== undefined) {
    if (!finite(d.step) || d.step <= 0) return bad(`'${path}' needs a positive step (got ${d.step})`);
    if (d.type === 'int' && !Number.isInteger(d.step)) return bad(`'${path}' needs an integer step`);
  }
  return [];
}

/** Problems with every distribution of a space, or that it has none (conditions are checked in conditions.ts). */
export function validateDistributions(space: SearchSpace): KilnError[] {
  const entries = Object.entries(space);
  if (entries.length === 0) return [kilnError('sweep/empty-space', '', 'the search space has no parameters')];
  return entries.flatMap(([name, d]) => validateDistribution(name, d));
}

/** The step of a stepped numeric distribution (int defaults to 1), undefined for continuous ones. */
export function stepOf(d: Distribution): number | undefined {
  if (d.type === 'int') return d.step ?? 1;
  if (d.type === 'uniform') return d.step;
  return undefined;
}

/** Number of points on a stepped range [low, high] (the last point never exceeds high). */
export function stepCount(low: number, high: number, step: number): number {
  // The small tolerance keeps e.g. (0.3 - 0) / 0.1 = 2.9999999999999996 from losing its last point.
  return Math.floor((high - low) / step + 1e-9) + 1;
}

/** The i-th point of a stepped range, rounded so 0.1 * 3 prints as 0.3. */
export function stepPoint(low: number, step: number, i: number): number {
  return Number((low + i * step).toPrecision(12));
}

/** Whether value is a legal value of d (bounds, integrality, step grid, membership); a missing value never is. */
export function contains(d: Distribution, value: Choice | undefined): boolean {
  if (value === undefined) return false;
  if (d.type === 'values') return d.values.some((v) => v === value);
  if (!finite(value) || value < d.low || value > d.high) return false;
  if ((d.type === 'int' || d.type === 'intLog') && !Number.isInteger(value)) return false;
  const step = stepOf(d);
  if (step === undefined) return true;
  const k = (value - d.low) / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}
