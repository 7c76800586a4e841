import { must } from '@kiln/core/errors';
import type { TargetSpec } from '@kiln/core';
import { choiceHint } from '@kiln/core';
import { fail, isMissing, rowLabel } from '../table.ts';
import type { TargetInfo } from '../types.ts';
import { toNumber } from './number.ts';
import type { ColumnContext } from './types.ts';

const key = (v: unknown) => String(v);

/** Class labels sorted: numerically when every label is a number, else alphabetically. */
function sortClasses(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}

/** The target's classes from the train values (binary: [negative, positive]); nothing to fit for regression. */
export function fitTarget(spec: TargetSpec, values: unknown[], ids: Int32Array, ctx: ColumnContext): TargetInfo {
  values.forEach((v, k) => {
    if (isMissing(v)) fail('data/missing-target', ctx.path, `${rowLabel(must(ids[k], 'one row id per value'), ctx.lines)} has no value in the target column "${spec.name}"`, 'every row needs a target value; remove unlabeled rows');
  });
  if (spec.type === 'regression') return { name: spec.name, type: 'regression' };
  const classes = sortClasses([...new Set(values.map(key))]);
  if (classes.length < 2) fail('data/one-class', ctx.path, `the target "${spec.name}" has only one class (${JSON.stringify(classes[0] ?? null)}) in the train split`, 'a classifier needs at least two classes; check the target column and the split');
  if (spec.type === 'binary') {
    if (classes.length > 2) fail('data/binary-classes', ctx.path, `a binary target has two classes, "${spec.name}" has ${classes.length}: ${classes.slice(0, 8).join(', ')}`, 'use type: multiclass');
    if (spec.positive !== undefined) {
      const pos = key(spec.positive);
      if (!classes.includes(pos)) fail('data/positive-class', 'data.target.positive', `positive class ${JSON.stringify(spec.positive)} is not a value of "${spec.name}"`, choiceHint(pos, classes));
      return { name: spec.name, type: 'binary', classes: [classes.find((c) => c !== pos)!, pos] };
    }
  }
  return { name: spec.name, type: spec.type, classes };
}

const lookups = new WeakMap<TargetInfo, Map<string, number>>();

/** The encoded target of one row: class index, or the value for regression. */
export function encodeTarget(t: TargetInfo, v: unknown, row: number, ctx: ColumnContext): number {
  if (t.type === 'regression') {
    const x = toNumber(v, row, ctx, 'target');
    if (x === null) fail('data/missing-target', ctx.path, `${rowLabel(row, ctx.lines)} has no value in the target column "${t.name}"`, 'every row needs a target value; remove unlabeled rows');
    return x;
  }
  let m = lookups.get(t);
  if (!m) lookups.set(t, (m = new Map(t.classes!.map((c, i) => [c, i]))));
  const i = isMissing(v) ? undefined : m.get(key(v));
  if (i === undefined) fail(isMissing(v) ? 'data/missing-target' : 'data/unseen-class', ctx.path, `${rowLabel(row, ctx.lines)} has target ${JSON.stringify(v ?? null)}, which is not a class seen in the train split (${t.classes!.join(', ')})`, 'use a stratified split, or remove rows of rare classes');
  return i;
}
