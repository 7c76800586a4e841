import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from '../train/test-support.ts';
import type { PreprocessState } from '../data/types.ts';
import { columnRules, rowSchema } from './input-schema.ts';
import { requestChecker } from './request.ts';
import { sampleRows, sampleSlot } from './test-support.ts';

beforeAll(useWasm);

const row = { a: 1.5, c: 'x', d: '2024-03-01' };

describe('the input schema', () => {
  it('types each column by its feature; required only where a missing value is an error', () => {
    const { state } = sampleSlot().loaded;
    const schema = rowSchema(columnRules(state, { strict: false }), { strict: false });
    expect(schema).toMatchObject({ type: 'object', required: ['a'], additionalProperties: true });
    expect(schema.properties).toMatchObject({ a: { type: 'number' }, c: { type: ['string', 'number', 'boolean', 'null'], examples: ['x', 'y', 'z'] }, d: { type: ['string', 'number', 'null'] } });
    const strict = rowSchema(columnRules(state, { strict: true }), { strict: true });
    expect(strict).toMatchObject({ additionalProperties: false, properties: { c: { enum: ['x', 'y', 'z', null] } } });
  });

  it('images are fixed-length arrays of numbers, text strings', () => {
    const state = { features: [{ name: 'px', type: 'image', shape: [2, 2, 1], scale: 255 }, { name: 't', type: 'text', lowercase: true, tokenizer: 'words', maxLength: 4, padding: 'post', truncation: 'post', vocab: ['', '?'] }] } as unknown as PreprocessState;
    const schema = rowSchema(columnRules(state, { strict: false }), { strict: false });
    expect(schema).toMatchObject({ required: ['px'], properties: { px: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } }, t: { type: ['string', 'null'] } } });
  });
});

describe('checking a request', () => {
  const checker = () => sampleSlot().checker;

  it('takes {rows: [...]} or one row object; fills left-out optional columns with null; warns of unknown columns', () => {
    expect(checker().check({ rows: [row, row] })).toEqual({ ok: true, rows: [row, row], warnings: [] });
    expect(checker().check({ a: 2 })).toEqual({ ok: true, rows: [{ a: 2, c: null, d: null }], warnings: [] });
    const r = checker().check({ rows: [{ ...row, extra: 1, other: 'x' }] });
    expect(r).toMatchObject({ ok: true, warnings: ['column(s) "extra", "other" are not inputs of this model and were ignored'] });
  });

  it('lists every bad row and column, by row index and field, in words', () => {
    const r = checker().check({ rows: [row, { a: 'abc', c: ['x'] }, { c: 'y' }, 7] });
    if (r.ok) throw new Error('expected errors');
    expect(r.message).toBe('3 of 4 row(s) do not fit the model\'s input columns');
    expect(r.errors).toEqual([
      { row: 1, field: 'a', message: 'column "a" must be a number (this feature has missing: error), got "abc"' },
      { row: 1, field: 'c', message: expect.stringContaining('column "c" must be a category: a string (seen in training: x, y, z)') },
      { row: 2, field: 'a', message: 'column "a" is missing: it must be a number (this feature has missing: error)' },
      { row: 3, field: null, message: 'row 3 is number 7, not an object of input columns' },
    ]);
  });

  it('strict: unknown categories and columns are 400s naming the field', () => {
    const r = sampleSlot(true).checker.check({ rows: [row, { ...row, c: 'w', extra: 1 }] });
    if (r.ok) throw new Error('expected errors');
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([[1, 'c'], [1, 'extra']]);
    expect(r.errors[0]?.message).toContain('one of x, y, z');
  });

  it('refuses bodies that hold no rows', () => {
    for (const [body, message] of [
      [[row], 'the body is an array of 1'],
      [{ rows: [] }, '"rows" is empty'],
      [{ rows: row }, '"rows" must be an array'],
      [{ rows: [row], model: 'x' }, 'the body has "model" beside "rows"'],
      ['text', 'the body is "text"'],
    ] as const) {
      const r = checker().check(body);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(message);
    }
  });

  it('the schema served at /schema validates what the checker accepts', () => {
    const c = requestChecker(sampleSlot().loaded.state, { strict: false }, 'title');
    expect(c.schema).toMatchObject({ title: 'title', definitions: { row: { required: ['a'] } } });
    expect(sampleRows(3).every((r) => c.check(r).ok)).toBe(true);
  });
});
