import { must } from '@kiln/core/errors';
import type { TargetSpec } from '@kiln/core';
import { choiceHint } from '@kiln/core';
import { fail, isMissing, rowLabel } from '../table.ts';
import type { TargetInfo, TargetScale } from '../types.ts';
import { toNumber } from './number.ts';
import type { ColumnContext } from './types.ts';

const key = (v: unknown) => String(v);

/** A target spec; scale may be left out (none), as in specs built by code rather than loaded with defaults. */
type Spec = Omit<TargetSpec, 'scale'> & { scale?: TargetSpec['scale'] };

/** Class labels sorted: numerically when every label is a number, else alphabetically. */
function sortClasses(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}

/** The target's classes from the train values (binary: [negative, positive]); nothing to fit for regression. */
export function fitTarget(spec: Spec, values: unknown[], ids: Int32Array, ctx: ColumnContext): TargetInfo {
  values.forEach((v, k) => {
    if (isMissing(v)) fail('data/missing-target', ctx.path, `${rowLabel(must(ids[k], 'one row id per value'), ctx.lines)} has no value in the target column "${spec.name}"`, 'every row needs a target value; remove unlabeled rows');
  });
  if (spec.type === 'regression') return fitRegression(spec, values, ids, ctx);
  const classes = sortClasses([...new Set(values.map(key))]);
  if (classes.length < 2) fail('data/one-class', ctx.path, `the target "${spec.name}" has only one class (${JSON.stringify(classes[0] ?? null)}) in the train split`, 'a classifier needs at least two classes; check the target column and the split');
  if (spec.type === 'binary') {
    if (classes.length > 2) fail('data/binary-classes', ctx.path, `a binary target has two classes, "${spec.name}" has ${classes.length}: ${classes.slice(0, 8).join(', ')}`, 'use type: multiclass');
    if (spec.positive !== undefined) {
      const pos = key(spec.positive);
      if (!classes.includes(pos)) fail('data/positive-class', 'data.target.positive', `positive class ${JSON.stringify(spec.positive)} is not a value of "${spec.name}"`, choiceHint(pos, classes));
      const ordered = [classes.find((c) => c !== pos) ?? '', pos];
      return { name: spec.name, type: 'binary', classes: ordered, counts: countsOf(ordered, values) };
    }
  }
  return { name: spec.name, type: spec.type, classes, counts: countsOf(classes, values) };
}

/** Train rows per class, in class order. */
function countsOf(classes: string[], values: unknown[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => 0);
  for (const v of values) {
    const i = index.get(key(v));
    if (i !== undefined) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** The value a scaling starts from: log1p for log (a located error at or below -1, where it is undefined), else the value. */
function scaleInput(kind: TargetScale['kind'], x: number, row: number, ctx: ColumnContext, name: string): number {
  if (kind !== 'log') return x;
  if (x <= -1) fail('data/log-target', ctx.path, `${rowLabel(row, ctx.lines)} has ${x} in the target column "${name}"; scale: log takes log1p, which needs values above -1`, 'use scale: standard (or none) for this target, or shift its values');
  return Math.log1p(x);
}

/** A regression target: its scaling's mean and std (population, as numeric features) fitted on the train values. */
function fitRegression(spec: Spec, values: unknown[], ids: Int32Array, ctx: ColumnContext): TargetInfo {
  const kind = spec.scale ?? 'none';
  if (kind === 'none') return { name: spec.name, type: 'regression' };
  const xs = values.map((v, k) => {
    const row = must(ids[k], 'one row id per value');
    return scaleInput(kind, toNumber(v, row, ctx, 'target') ?? Number.NaN, row, ctx, spec.name);
  });
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
  // A constant target keeps std 1 so encoding never divides by zero (the model then learns a constant).
  return { name: spec.name, type: 'regression', scale: { kind, mean, std: std > 0 ? std : 1 } };
}

/** A model output (scaled units) back in the target's own units; identity without a scale. */
export function unscaleTarget(scale: TargetScale | undefined, v: number): number {
  if (!scale) return v;
  const z = v * scale.std + scale.mean;
  return scale.kind === 'log' ? Math.expm1(z) : z;
}

/** Every value of a [n] or [n, 1] array back in the target's own units (a copy; the input is returned without a scale). */
export function unscaleTargets<T extends Float32Array | Int32Array>(scale: TargetScale | undefined, values: T): T | Float32Array {
  return scale ? Float32Array.from(values, (v) => unscaleTarget(scale, v)) : values;
}

const lookups = new WeakMap<TargetInfo, Map<string, number>>();

/** A ready line that keeps only the train classes: with a time-ordered or column split, stratifying is not an option. */
function unseenClassHint(name: string, classes: readonly string[]): string {
  const keep = `filter: { column: ${JSON.stringify(name)}, in: [${classes.map((c) => JSON.stringify(c)).join(', ')}] }`;
  return `a random split with stratify: true puts every class in train; otherwise drop the rare class's rows with data.${keep}`;
}

/** The encoded target of one row: class index, or the value for regression. */
export function encodeTarget(t: TargetInfo, v: unknown, row: number, ctx: ColumnContext): number {
  if (t.type === 'regression') {
    const x = toNumber(v, row, ctx, 'target');
    if (x === null) fail('data/missing-target', ctx.path, `${rowLabel(row, ctx.lines)} has no value in the target column "${t.name}"`, 'every row needs a target value; remove unlabeled rows');
    return t.scale ? (scaleInput(t.scale.kind, x, row, ctx, t.name) - t.scale.mean) / t.scale.std : x;
  }
  let m = lookups.get(t);
  if (!m) lookups.set(t, (m = new Map(t.classes!.map((c, i) => [c, i]))));
  const i = isMissing(v) ? undefined : m.get(key(v));
  if (i === undefined) fail(isMissing(v) ? 'data/missing-target' : 'data/unseen-class', ctx.path, `${rowLabel(row, ctx.lines)} has target ${JSON.stringify(v ?? null)}, which is not a class seen in the train split (${t.classes!.join(', ')})`, unseenClassHint(t.name, t.classes ?? []));
  return i;
}
