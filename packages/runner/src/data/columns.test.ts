import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPackage } from './builtin/resolve.ts';
import { expandFeatures, featuresOfState, patternRegex, selectColumns } from './columns.ts';
import { prepareData } from './prepare.ts';
import { firstKilnError, pipelineWith } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-columns-'));

/**
 * 8x8 digits as 64 columns, as scikit-learn's digits: the first 40 images of 0, 1 and 7 from the mnist package,
 * the centre 24x24 of each averaged over 3x3 blocks and scaled to 0..16. Columns: id, pixel0..pixel63, label.
 */
function writeDigits(): string {
  const lines = [['id', ...Array.from({ length: 64 }, (_, p) => `pixel${p}`), 'label'].join(',')];
  for (const digit of [0, 1, 7]) {
    const { data } = JSON.parse(readFileSync(join(dataPackage('mnist').dir, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] };
    for (let n = 0; n < 40; n++) {
      const at = (r: number, c: number) => data[n * 784 + (r + 2) * 28 + (c + 2)] ?? 0;
      const pixels = Array.from({ length: 64 }, (_, p) => {
        let sum = 0;
        for (let dr = 0; dr < 3; dr++) for (let dc = 0; dc < 3; dc++) sum += at(Math.floor(p / 8) * 3 + dr, (p % 8) * 3 + dc);
        return Math.round((sum / 9) * 16);
      });
      lines.push([1000 + lines.length, ...pixels, digit].join(','));
    }
  }
  writeFileSync(join(dir, 'digits.csv'), `${lines.join('\n')}\n`);
  return 'digits.csv';
}
const digits = writeDigits();

const HEADER = ['id', 'a1', 'a2', 'b1', 'b_x', 'notes', 'y', 'fold'];
const data = (features: string, extra = '') => pipelineWith(`source: { type: csv, path: ${digits} }\nfeatures:\n${features}\ntarget: { name: y, type: binary }${extra}`, 'binary', dir).data;

describe('patternRegex', () => {
  it('matches whole names: * any run, ? one character, everything else literal', () => {
    const re = patternRegex('pixel*');
    expect(['pixel0', 'pixel63', 'pixel', 'apixel1', 'Pixel1'].map((c) => re.test(c))).toEqual([true, true, true, false, false]);
    expect(['x_12', 'x_1', 'x_123'].map((c) => patternRegex('x_??').test(c))).toEqual([true, false, false]);
    expect(['a.b', 'aXb'].map((c) => patternRegex('a.b').test(c))).toEqual([true, false]);
    expect(patternRegex('(x)+[y]').test('(x)+[y]')).toBe(true);
  });
});

describe('selectColumns', () => {
  it('never takes the target, named features or the split column (or split.by); patterns go before "*"', () => {
    const d = data("  - { columns: '*', type: category }\n  - { name: a1, type: numeric }\n  - { columns: 'b*', type: numeric }", '\nsplit: { column: fold }');
    expect(selectColumns(d, HEADER)).toEqual([
      { feature: 0, columns: ['id', 'a2', 'notes'] },
      { feature: 2, columns: ['b1', 'b_x'] },
    ]);
    const byTime = data("  - { columns: '*', type: numeric }", '\nsplit: { by: notes }');
    expect(selectColumns(byTime, HEADER)).toEqual([{ feature: 0, columns: ['id', 'a1', 'a2', 'b1', 'b_x', 'fold'] }]);
  });

  it('leaves out excluded names and patterns, and expands each group in place', () => {
    const d = data("  - { name: notes, type: category }\n  - { columns: '*', type: numeric, missing: mean, exclude: [id, 'b?'] }");
    const groups = selectColumns(d, HEADER);
    expect(groups).toEqual([{ feature: 1, columns: ['a1', 'a2', 'b_x', 'fold'] }]);
    const { features, entry } = expandFeatures(d.features, groups);
    expect(features.map((f) => f.name)).toEqual(['notes', 'a1', 'a2', 'b_x', 'fold']);
    expect(entry).toEqual([0, 1, 1, 1, 1]);
    expect(features[1]).toEqual({ name: 'a1', type: 'numeric', normalize: 'standardize', missing: 'mean' });
    expect(featuresOfState(d.features, { columnGroups: groups })).toEqual(features);
  });

  it('refuses a group that matches nothing, or only columns used elsewhere, at its columns key', async () => {
    const none = await firstKilnError(() => selectColumns(data("  - { columns: 'pixel*', type: numeric }"), HEADER));
    expect(none).toMatchObject({ code: 'data/columns-no-match', path: 'data.features[0].columns', message: 'columns "pixel*" matches no column' });
    expect(none.hint).toContain('the columns are: id, a1, a2');
    const used = await firstKilnError(() => selectColumns(data("  - { name: a1, type: numeric }\n  - { name: a2, type: numeric }\n  - { columns: 'a*', type: numeric }"), HEADER));
    expect(used).toMatchObject({ path: 'data.features[2].columns', message: 'columns "a*" matches only columns used elsewhere (a1, a2)' });
  });

  it('refuses an exclude entry that matches no column, with a did-you-mean', async () => {
    const e = await firstKilnError(() => selectColumns(data("  - { columns: '*', type: numeric, exclude: [a1, note] }"), HEADER));
    expect(e).toMatchObject({ code: 'data/exclude-no-match', path: 'data.features[0].exclude[1]', message: 'exclude "note" matches no column' });
    expect(e.hint).toContain('notes');
  });
});

describe('column groups through prepareData', () => {
  const opts = { baseDir: dir, cache: false };
  const multiclass = (features: string) => pipelineWith(`source: { type: csv, path: ${digits} }\nfeatures:\n${features}\ntarget: { name: label, type: multiclass }`, 'multiclass', dir);

  it('feeds the 64 pixel columns picked by a pattern, minus the excluded ones, as one numeric block', async () => {
    const d = await prepareData(multiclass("  - { columns: 'pixel*', type: numeric, normalize: minmax, exclude: [pixel0, pixel7, pixel56, pixel63] }"), opts);
    const picked = Array.from({ length: 64 }, (_, p) => `pixel${p}`).filter((c) => !['pixel0', 'pixel7', 'pixel56', 'pixel63'].includes(c));
    expect(d.state.columnGroups).toEqual([{ feature: 0, columns: picked }]);
    expect(d.inputShape).toEqual([60]);
    expect(d.state.features.map((f) => f.name)).toEqual(picked);
    expect(d.state.features.every((f) => f.type === 'numeric' && f.normalize === 'minmax')).toBe(true);
    expect([d.train.n + d.val.n + d.test.n, d.target.classes]).toEqual([120, ['0', '1', '7']]);
    // the id column is not a pixel: nothing looked like a row id
    expect(d.state.warnings).toBeUndefined();
  });

  it('takes every remaining column with "*", and warns that the id column looks like a row id', async () => {
    const d = await prepareData(multiclass("  - { columns: '*', type: numeric, exclude: ['pixel?'] }"), opts);
    expect(d.inputShape).toEqual([1 + 54]);
    expect(d.state.features[0]?.name).toBe('id');
    expect(d.state.warnings).toEqual([
      'data.features[0] "id" looks like a row id (120 distinct whole numbers in 120 rows, and its name says id): a model can only memorise it; exclude the column from the group unless it measures something',
    ]);
  });

  it('locates a value that is not a number in a group at the group entry, naming the column', async () => {
    const text = readFileSync(join(dir, digits), 'utf8').replace(/\n(\d+),0,/, '\n$1,dark,');
    writeFileSync(join(dir, 'bad.csv'), text);
    const spec = pipelineWith("source: { type: csv, path: bad.csv }\nfeatures:\n  - { name: id, type: numeric }\n  - { columns: 'pixel*', type: numeric }\ntarget: { name: label, type: multiclass }", 'multiclass', dir);
    const e = await firstKilnError(() => prepareData(spec, opts));
    expect(e).toMatchObject({ code: 'data/not-a-number', path: 'data.features[1]' });
    expect(e.message).toMatch(/has "dark" in the numeric column "pixel0"$/);
  });
});
