import { describe, expect, it } from 'vitest';
import { KilnFailure, type KilnError } from '../errors.ts';
import { parseFilter, tokenize } from './filter.ts';
import { resolveField } from './fields.ts';

function errorOf(fn: () => unknown): KilnError {
  try {
    fn();
  } catch (e) {
    const [first] = e instanceof KilnFailure ? e.errors : [];
    if (first !== undefined) return first;
    throw e;
  }
  throw new Error('expected a KilnFailure');
}

describe('filter parser', () => {
  it('parses precedence: and binds tighter than or, parentheses group', () => {
    const ast = parseFilter('metrics.val.accuracy > 0.9 and (params.train.optimizer.name = "adam" or tags.team = "nlp") and status = finished');
    expect(ast).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'cmp', field: 'metrics.val.accuracy', op: '>', value: 0.9, col: 1 },
        right: {
          kind: 'or',
          left: { kind: 'cmp', field: 'params.train.optimizer.name', op: '=', value: 'adam', col: 33 },
          right: { kind: 'cmp', field: 'tags.team', op: '=', value: 'nlp', col: 73 },
        },
      },
      right: { kind: 'cmp', field: 'status', op: '=', value: 'finished', col: 96 },
    });
    expect(parseFilter('a = 1 or b = 2 and c = 3')).toMatchObject({ kind: 'or', right: { kind: 'and' } });
  });

  it('reads lists, negatives, booleans, indexed paths, contains/like and not', () => {
    expect(parseFilter('params.model.layers[1].units in (8, -16, 3.5e1)')).toEqual({
      kind: 'cmp',
      field: 'params.model.layers[1].units',
      op: 'in',
      value: [8, -16, 35],
      col: 1,
    });
    expect(parseFilter('not tags.x contains "a\\"b"')).toEqual({ kind: 'not', expr: { kind: 'cmp', field: 'tags.x', op: 'contains', value: 'a"b', col: 5 } });
    expect(parseFilter('gitDirty = true')).toMatchObject({ value: true });
    expect(parseFilter('   ')).toBeNull();
    expect(tokenize('a<=1').map((t) => t.text)).toEqual(['a', '<=', '1', 'end of filter']);
  });

  it('reports located errors', () => {
    expect(errorOf(() => parseFilter('status = finished and'))).toMatchObject({ code: 'store/filter', col: 22 });
    expect(errorOf(() => parseFilter('status finished'))).toMatchObject({ col: 8 });
    expect(errorOf(() => parseFilter('(a = 1'))).toMatchObject({ col: 7 });
    expect(errorOf(() => parseFilter('a = "open'))).toMatchObject({ col: 5 });
    expect(errorOf(() => parseFilter('a = 1 # b'))).toMatchObject({ col: 7 });
    expect(errorOf(() => parseFilter('a in 1'))).toMatchObject({ col: 6 });
  });

  it('suggests a near field name for unknown fields', () => {
    expect(errorOf(() => resolveField('stauts', 4))).toMatchObject({ col: 4, hint: "did you mean 'status'?" });
    expect(errorOf(() => resolveField('metric.loss', 1))).toMatchObject({ hint: "did you mean 'metrics.'?" });
    expect(resolveField('params.a.b', 1)).toEqual({ kind: 'param', key: 'a.b' });
  });
});
