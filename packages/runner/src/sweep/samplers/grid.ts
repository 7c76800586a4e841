import { must } from '@kiln/core/errors';
import { kilnError, type KilnError } from '@kiln/core';
import { assertValid, type Result, type Sampler } from './sampler.ts';
import { activeOnly, hasConditions, validateSpace } from './conditions.ts';
import { stepCount, stepOf, stepPoint, type Choice, type Distribution, type Params, type SearchSpace } from './space.ts';
import type { Trial } from './trial.ts';

/** The finite, de-duplicated values of one distribution in ascending / declared order, or why it has none. */
export function axisValues(name: string, d: Distribution): Result<Choice[]> {
  if (d.type === 'values') {
    const seen: Choice[] = [];
    for (const v of d.values) if (!seen.some((s) => s === v)) seen.push(v);
    return { ok: true, value: seen };
  }
  const step = d.type === 'intLog' ? 1 : stepOf(d);
  if (step === undefined) {
    const hint = d.type === 'uniform' ? 'add a step, or list the values explicitly' : 'use values: [...] or int/intLog';
    return { ok: false, errors: [kilnError('sweep/grid-continuous', name, `grid search cannot enumerate continuous '${name}' (${d.type})`, hint)] };
  }
  const n = stepCount(d.low, d.high, step);
  return { ok: true, value: Array.from({ length: n }, (_, i) => stepPoint(d.low, step, i)) };
}

/** Every grid axis, or all the reasons some axes cannot be enumerated. */
function axes(space: SearchSpace): Result<Array<[string, Choice[]]>> {
  const errors: KilnError[] = validateSpace(space);
  const out: Array<[string, Choice[]]> = [];
  for (const [name, d] of Object.entries(space)) {
    const axis = axisValues(name, d);
    if (axis.ok) out.push([name, axis.value]);
    else errors.push(...axis.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** Number of grid points (product of the axis sizes; with conditions, the distinct points once switched-off parameters are dropped). */
export function gridSize(space: SearchSpace): Result<number> {
  if (hasConditions(space)) {
    const points = gridPoints(space);
    return points.ok ? { ok: true, value: points.value.length } : points;
  }
  const a = axes(space);
  return a.ok ? { ok: true, value: a.value.reduce((n, [, vs]) => n * vs.length, 1) } : a;
}

/** The i-th grid point in row-major order: the first parameter varies slowest. */
function pointAt(axesList: Array<[string, Choice[]]>, index: number): Params {
  const entries: Array<[string, Choice]> = [];
  for (const [name, values] of [...axesList].reverse()) {
    entries.unshift([name, must(values[index % values.length], 'validated axes have at least one value')]);
    index = Math.floor(index / values.length);
  }
  return Object.fromEntries(entries);
}

/** All grid points in deterministic row-major order (first parameter slowest); a conditional parameter only where its condition holds, each point once. */
export function gridPoints(space: SearchSpace): Result<Params[]> {
  const a = axes(space);
  if (!a.ok) return a;
  const total = a.value.reduce((n, [, vs]) => n * vs.length, 1);
  const all = Array.from({ length: total }, (_, i) => pointAt(a.value, i));
  if (!hasConditions(space)) return { ok: true, value: all };
  const seen = new Set<string>();
  const out: Params[] = [];
  for (const p of all.map((q) => activeOnly(space, q))) {
    const key = pointKey(space, p);
    if (!seen.has(key)) out.push(p);
    seen.add(key);
  }
  return { ok: true, value: out };
}

/** A key identifying a point by its values on the space's parameters (types kept apart: 1 vs '1'). */
function pointKey(space: SearchSpace, params: Params): string {
  return JSON.stringify(Object.keys(space).map((name) => [typeof params[name], params[name]]));
}

export interface GridSampler extends Sampler {
  /** Total number of points the grid will propose. */
  size(space: SearchSpace): Result<number>;
}

/** Exhaustive grid search: proposes each point once, in order, skipping points already in the history. */
export function gridSampler(): GridSampler {
  return {
    name: 'grid',
    validate: (space) => {
      const a = axes(space);
      return a.ok ? [] : a.errors;
    },
    size: gridSize,
    suggest(space: SearchSpace, history: readonly Trial[]): Params | null {
      assertValid(this, space);
      const points = gridPoints(space);
      if (!points.ok) return null;
      const taken = new Set(history.map((t) => pointKey(space, t.params)));
      return points.value.find((p) => !taken.has(pointKey(space, p))) ?? null;
    },
  };
}
