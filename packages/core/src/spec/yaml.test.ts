import { describe, expect, it } from 'vitest';
import { parseYaml, toValue } from './yaml.ts';

describe('parseYaml', () => {
  it('reports a duplicate key at its second occurrence, naming the first line', () => {
    const { errors } = parseYaml('t.yaml', 'a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n');
    expect(errors).toEqual([{ code: 'yaml/duplicate-key', path: '', message: 'Map keys must be unique', hint: '"c" is already set on line 3; keep one of them', file: 't.yaml', line: 5, col: 3 }]);
  });

  it('finds duplicates in flow mappings and inside lists, and allows equal keys in different mappings', () => {
    expect(parseYaml('t.yaml', 'l:\n  - { x: 1, y: 2, x: 3 }\n').errors[0]).toMatchObject({ line: 2, col: 19 });
    expect(parseYaml('t.yaml', 'a: { x: 1 }\nb: { x: 1 }\nl: [{ x: 1 }, { x: 2 }]\n').errors).toEqual([]);
  });

  it('finds a duplicate among thousands of keys (the 10 MB timing is in test/faults/input.test.ts)', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`);
    const { errors } = parseYaml('t.yaml', `${keys.join('\n')}\nk5: again\n`);
    expect(errors).toEqual([expect.objectContaining({ code: 'yaml/duplicate-key', line: 20_001, col: 1, hint: '"k5" is already set on line 6; keep one of them' })]);
  });
});

describe('toValue', () => {
  it('refuses an alias bomb with a located error instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e']]) levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    const { source, errors } = parseYaml('bomb.yaml', `${levels.join('\n')}\n`);
    expect(errors).toEqual([]);
    const r = toValue(source);
    expect(r).toEqual({ error: expect.objectContaining({ code: 'yaml/alias-bomb', file: 'bomb.yaml', line: 3, col: 8 }) });
  });

  it('resolves ordinary anchors and aliases', () => {
    const { source } = parseYaml('t.yaml', 'a: &o { lr: 0.1 }\nb: *o\n');
    expect(toValue(source)).toEqual({ value: { a: { lr: 0.1 }, b: { lr: 0.1 } } });
  });

  it('locates an alias whose anchor is not defined', () => {
    const { source } = parseYaml('t.yaml', 'a: 1\nb: *nope\n');
    const r = toValue(source);
    expect('error' in r && r.error).toMatchObject({ code: 'yaml/bad-alias', line: 2, col: 4 });
  });
});
