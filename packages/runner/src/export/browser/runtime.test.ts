import { describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core/errors';
import { unscaleTarget } from '../../data/preprocess/index.ts';
import { transformRows } from '../../data/transform.ts';
import type { FeatureState, PreprocessState, TargetInfo } from '../../data/types.ts';
import { encodeInputs, InputError, keptRows, toInputs, toPredictions, unscale, type RawRow } from './runtime.ts';

const target: TargetInfo = { name: 'y', type: 'multiclass', classes: ['a', 'b', 'c'] };

/** A state over `features`, laid out as data/transform lays them out (one flat input unless given inputs). */
function stateOf(features: FeatureState[], layout: Partial<PreprocessState> = {}): PreprocessState {
  return { version: 1, features, target, inputShape: [0], inputDtype: 'float32', ...layout };
}

/** The runtime's encoding next to kiln predict's (data/transform.ts): same kept rows, same values, bit for bit. */
function expectSameEncoding(state: PreprocessState, rows: RawRow[]): void {
  const kiln = transformRows(state, rows);
  const kept = keptRows(state, rows);
  expect(kept).toEqual(Array.from(kiln.rows));
  const ours = encodeInputs(state, rows, kept).map((x) => x.values);
  expect(ours.map((x) => x.constructor.name)).toEqual(kiln.xs.map((x) => x.constructor.name));
  ours.forEach((x, i) => expect(Array.from(x)).toEqual(Array.from(kiln.xs[i] ?? [])));
}

const numeric = (over: Partial<Extract<FeatureState, { type: 'numeric' }>>): FeatureState => ({ name: 'n', type: 'numeric', normalize: 'standardize', missing: 'mean', mean: 2.5, std: 1.5, min: -1, max: 9, ...over });
const text = (over: Partial<Extract<FeatureState, { type: 'text' }>>): FeatureState => ({
  name: 't',
  type: 'text',
  lowercase: true,
  tokenizer: 'words',
  maxLength: 5,
  padding: 'pre',
  truncation: 'post',
  vocab: ['<PAD>', '<OOV>', 'the', 'cat', 'sat', 'on', 'mat', 'é'],
  missingValues: ['NA', 'N/A', 'null', 'NaN', '?', '#N/A'],
  ...over,
});

describe('the exported preprocessing encodes rows as kiln predict does', () => {
  it('numeric columns: standardize, minmax, none; numbers, decimal text, spaces, markers, a custom marker and missing: drop', () => {
    const features = [numeric({ name: 'a' }), numeric({ name: 'b', normalize: 'minmax', missingValues: ['-999'] }), numeric({ name: 'c', normalize: 'none', missing: 'drop' }), numeric({ name: 'd', std: 0 })];
    const rows = [
      { a: 1, b: '3.5', c: 2, d: 4 },
      { a: ' 2e1 ', b: -999, c: '7', d: 'NA' },
      { a: null, b: '', c: 'n/a', d: 1 },
      { a: '-0.5', b: 9, c: 0, d: null },
      { a: 'NaN', b: '-999', c: '1.25', d: 2 },
    ];
    expectSameEncoding(stateOf(features), rows);
  });

  it('categories: one-hot and index, trimmed, case-folded or not, unseen values, markers and numbers', () => {
    const features: FeatureState[] = [
      { name: 'island', type: 'category', encoding: 'oneHot', categories: ['<OOV>', 'Biscoe', 'Dream', 'Torgersen'], trim: true, lowercase: false },
      { name: 'size', type: 'category', encoding: 'oneHot', categories: ['<OOV>', '1', '2', 'big'], trim: true, lowercase: true, missingValues: ['unknown'] },
      { name: 'old', type: 'category', encoding: 'oneHot', categories: ['<OOV>', ' x', 'y'] },
    ];
    const rows = [
      { island: 'Dream', size: 1, old: ' x' },
      { island: ' Biscoe ', size: 'BIG', old: 'x' },
      { island: 'dream', size: 'unknown', old: 'y' },
      { island: 'NA', size: 'NA', old: null },
      { island: 'Atlantis', size: '2', old: '' },
    ];
    expectSameEncoding(stateOf(features), rows);
    const index: FeatureState = { name: 'island', type: 'category', encoding: 'index', categories: ['<OOV>', 'Biscoe', 'Dream'], trim: true, lowercase: true };
    expectSameEncoding(stateOf([index], { inputDtype: 'int32' }), rows);
  });

  it('text: words and chars, padding and truncation on either side, out-of-vocabulary tokens, missing cells, a state from before text had markers', () => {
    const rows = [{ t: 'The cat sat on the mat, the end' }, { t: 'CAT!' }, { t: 'NA' }, { t: null }, { t: '' }, { t: 'é cat  dog' }, { t: 42 }];
    for (const over of [{}, { padding: 'post' as const }, { truncation: 'pre' as const }, { padding: 'post' as const, truncation: 'pre' as const }, { lowercase: false }, { tokenizer: 'chars' as const, vocab: ['<PAD>', '<OOV>', 't', 'a', ' ', 'é'] }, { missingValues: undefined }])
      expectSameEncoding(stateOf([text(over)], { inputShape: [5], inputDtype: 'int32' }), rows);
  });

  it('dates: ISO with zones and a format, every encoding, missing mean and drop', () => {
    const date = (over: Partial<Extract<FeatureState, { type: 'date' }>>): FeatureState => ({ name: 'when', type: 'date', encodings: ['elapsed', 'month', 'dayOfWeek', 'dayOfYear', 'hour'], missing: 'mean', min: Date.UTC(2020, 0, 1), range: 86_400_000 * 365, mean: Date.UTC(2020, 6, 1), ...over });
    const iso = [{ when: '2020-03-01' }, { when: '2020-03-01T14:30:05.250+02:00' }, { when: '2021-12-31 23:59Z' }, { when: 'NA' }, { when: null }];
    expectSameEncoding(stateOf([date({})]), iso);
    expectSameEncoding(stateOf([date({ missing: 'drop', range: 0 })]), iso);
    expectSameEncoding(stateOf([date({ format: 'DD/MM/YYYY hh:mm A', missingValues: ['-'] })]), [{ when: '01/02/2020 03:04 PM' }, { when: '-' }, { when: '31/12/2019 12:00 am' }]);
  });

  it('images: scaled pixels, as arrays or typed arrays', () => {
    const image: FeatureState = { name: 'px', type: 'image', shape: [2, 2, 1], scale: 255 };
    expectSameEncoding(stateOf([image], { inputShape: [2, 2, 1] }), [{ px: [0, 51, 255, 128] }, { px: Float32Array.from([1, 2, 3, 4]) }]);
  });

  it('several inputs of a graph: each its own features, in model order', () => {
    const features = [numeric({ name: 'a' }), text({}), numeric({ name: 'b', normalize: 'none' })];
    const state = stateOf(features, {
      inputShape: [2],
      inputs: [
        { name: 'nums', features: [0, 2], shape: [2], dtype: 'float32' },
        { name: 'words', features: [1], shape: [5], dtype: 'int32' },
      ],
    });
    expectSameEncoding(state, [{ a: 1, t: 'the cat', b: 3 }, { a: 'NA', t: 'mat', b: '4' }]);
  });
});

describe('the exported preprocessing refuses what kiln predict refuses', () => {
  const errorOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof InputError || e instanceof KilnFailure) return e instanceof KilnFailure ? (e.errors[0]?.message ?? '') : e.message;
      throw e;
    }
    return 'no error';
  };
  const cases: [string, FeatureState[], RawRow[], RegExp][] = [
    ['text in a numeric column', [numeric({ name: 'a' })], [{ a: 1 }, { a: 'abc' }], /row 1 has "abc" in the numeric column "a"/],
    ['a missing value under missing: error', [numeric({ name: 'a', missing: 'error' })], [{ a: null }], /row 0 has no value in column "a"/],
    ['a date that does not match', [{ name: 'd', type: 'date', encodings: ['elapsed'], missing: 'mean', min: 0, range: 1, mean: 0 }], [{ d: '2020-13-01' }], /row 0 has "2020-13-01" in (the )?date column "d"/],
    ['an image of the wrong size', [{ name: 'px', type: 'image', shape: [2, 2, 1], scale: 1 }], [{ px: [1, 2, 3] }], /row 0/],
    ['a missing column', [numeric({ name: 'a' }), numeric({ name: 'b' })], [{ a: 1 }], /"b"/],
  ];
  it.each(cases)('%s', (_what, features, rows, message) => {
    const state = stateOf(features);
    expect(errorOf(() => transformRows(state, rows))).toMatch(message);
    expect(errorOf(() => encodeInputs(state, rows, keptRows(state, rows)))).toMatch(message);
  });
});

describe('outputs to predictions', () => {
  const output = (values: number[], width: number) => ({ shape: [values.length / width, width], dataSync: () => Float32Array.from(values) });

  it('multiclass: the most probable class (the first of ties) with every probability, for the rows kept', () => {
    expect(toPredictions(stateOf([]), output([0.2, 0.5, 0.3, 0.4, 0.4, 0.2], 3), [0, 2])).toEqual([
      { row: 0, class: 'b', probabilities: { a: expect.closeTo(0.2, 7), b: 0.5, c: expect.closeTo(0.3, 7) } },
      { row: 2, class: 'a', probabilities: { a: expect.closeTo(0.4, 7), b: expect.closeTo(0.4, 7), c: expect.closeTo(0.2, 7) } },
    ]);
  });

  it('binary at 0.5, regression unscaled (standard and log), and one result per head of a multi-output model', () => {
    const binary: TargetInfo = { name: 'spam', type: 'binary', classes: ['ham', 'spam'] };
    expect(toPredictions(stateOf([], { target: binary }), output([0.5, 0.25], 1)).map((p) => ('class' in p ? p.class : ''))).toEqual(['spam', 'ham']);
    for (const scale of [{ kind: 'standard' as const, mean: 10, std: 2 }, { kind: 'log' as const, mean: 1, std: 0.5 }]) expect(unscale({ name: 'v', type: 'regression', scale }, 0.3)).toBe(unscaleTarget(scale, 0.3));
    const value: TargetInfo = { name: 'mass', type: 'regression', scale: { kind: 'standard', mean: 4000, std: 500 } };
    const state = stateOf([], { targets: [target, value], outputs: [{ name: 'species', target: 0 }, { name: 'mass', target: 1 }] });
    expect(toPredictions(state, [output([0, 0, 1], 3), output([1], 1)], [4])).toEqual([{ row: 4, outputs: { species: { class: 'c', probabilities: { a: 0, b: 0, c: 1 } }, mass: { value: 4500 } } }]);
  });

  it('toInputs makes one tensor per input with the batch first', () => {
    const made: { shape: number[]; dtype: string }[] = [];
    const tf = { tensor: (_v: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32') => (made.push({ shape, dtype }), made.length) };
    const { inputs, kept } = toInputs(stateOf([numeric({ name: 'a', missing: 'drop' })], { inputShape: [1] }), [{ a: 1 }, { a: null }, { a: 3 }], tf);
    expect([inputs, kept, made]).toEqual([1, [0, 2], [{ shape: [2, 1], dtype: 'float32' }]]);
  });
});
