import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { prepareData } from './prepare.ts';
import type { Row } from './table.ts';
import { firstKilnError, pipelineWith } from './test-support.ts';
import { transformRows } from './transform.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-prep-'));
const opts = { baseDir: dir, cache: false };
const spec = (dataYaml: string) => pipelineWith(dataYaml, 'binary', dir);
// 60 rows: two numeric columns, a category, a binary label tied to x (so stratification has something to keep)
const lines = ['x,y,color,label,fold'];
for (let i = 0; i < 60; i++) lines.push(`${i},${(i * 7) % 11},${['red', 'green', 'blue'][i % 3]},${i % 4 === 0 ? 'yes' : 'no'},${i < 40 ? 'train' : i < 50 ? 'val' : 'test'}`);
writeFileSync(join(dir, 'd.csv'), lines.join('\n') + '\n');

const DATA = `source: { type: csv, path: d.csv }
features:
  - { name: x, type: numeric }
  - { name: y, type: numeric, normalize: minmax }
  - { name: color, type: category }
target: { name: label, type: binary, positive: 'yes' }`;

const failure = firstKilnError;

describe('prepareData', () => {
  it('splits, fits on train and encodes every split', async () => {
    const d = await prepareData(spec(DATA), opts);
    expect([d.train.n, d.val.n, d.test.n]).toEqual([42, 9, 9]);
    expect(d.inputShape).toEqual([5]);
    expect(d.target.classes).toEqual(['no', 'yes']);
    const all = [...d.train.rows, ...d.val.rows, ...d.test.rows].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // stratified: 15 of 60 are "yes" -> about a quarter of each split
    expect([...d.train.y].filter((v) => v === 1).length).toBeGreaterThanOrEqual(10);
    // the mean of x over train is fitted on train rows only
    const trainX = [...d.train.rows];
    const mean = trainX.reduce((a, b) => a + b, 0) / trainX.length;
    expect(d.state.features[0]).toMatchObject({ type: 'numeric', mean });
  });

  it('gives the training x back exactly when predict-time transform runs on the train rows', async () => {
    const d = await prepareData(spec(DATA), opts);
    const header = (lines[0] ?? '').split(',');
    const raw = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, k) => [header[k] ?? `column_${k + 1}`, v])) as Row);
    const rows = [...d.train.rows].map((i) => {
      const { label: _label, ...features } = must(raw[i], 'train rows index the data lines');
      return features;
    });
    const t = transformRows(JSON.parse(JSON.stringify(d.state)), rows);
    expect(t.inputShape).toEqual(d.inputShape);
    expect(t.x).toEqual(d.train.x);
  });

  it('uses a split column when given, and the split seed', async () => {
    const byColumn = await prepareData(spec(`${DATA}\nsplit: { column: fold }`), opts);
    expect([byColumn.train.n, byColumn.val.n, byColumn.test.n]).toEqual([40, 10, 10]);
    const a = await prepareData(spec(`${DATA}\nsplit: { seed: 1 }`), opts);
    const b = await prepareData(spec(`${DATA}\nsplit: { seed: 2 }`), opts);
    expect([...a.test.rows]).not.toEqual([...b.test.rows]);
  });

  it('names a missing column with did-you-mean and the spec path', async () => {
    const e = await failure(() => prepareData(spec(DATA.replace('name: color', 'name: colour')), opts));
    expect(e.code).toBe('data/missing-column');
    expect(e.path).toBe('data.features[2].name');
    expect(e.hint).toContain('did you mean "color"');
  });

  it('reports a non-numeric value with the row and line', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'x,label\n1,a\n2,b\noops,a\n4,b\n5,a\n6,b\n7,a\n8,b\n');
    const e = await failure(() => prepareData(spec('source: { type: csv, path: bad.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }\nsplit: { train: 1, val: 0, test: 0 }'), opts));
    expect(e.code).toBe('data/not-a-number');
    expect(e.message).toContain('row 2 (line 4)');
    expect(e.message).toContain('"oops"');
  });

  it('drops rows with missing values when asked', async () => {
    writeFileSync(join(dir, 'gaps.csv'), 'x,label\n1,a\n,b\n3,a\n4,b\n,a\n6,b\n7,a\n8,b\n9,a\n10,b\n');
    const d = await prepareData(spec('source: { type: csv, path: gaps.csv }\nfeatures: [{ name: x, type: numeric, missing: drop }]\ntarget: { name: label, type: binary }\nsplit: { train: 0.6, val: 0.2, test: 0.2, stratify: false }'), opts);
    expect(d.train.n + d.val.n + d.test.n).toBe(8);
    expect([...d.train.rows, ...d.val.rows, ...d.test.rows]).not.toContain(1);
    const t = transformRows(d.state, [{ x: '2' }, { x: '' }, { x: '5' }]);
    expect([...t.rows]).toEqual([0, 2]);
  });

  it('fails on an empty split, a one-class target and a missing file', async () => {
    writeFileSync(join(dir, 'tiny.csv'), 'x,label\n1,a\n2,b\n3,a\n');
    const tiny = (split: string) => spec(`source: { type: csv, path: tiny.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }\nsplit: ${split}`);
    expect((await failure(() => prepareData(tiny('{ train: 0.8, val: 0.1, test: 0.1, stratify: false }'), opts))).code).toBe('data/empty-split');
    writeFileSync(join(dir, 'one.csv'), 'x,label\n1,a\n2,a\n3,a\n4,a\n');
    const one = spec('source: { type: csv, path: one.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }\nsplit: { train: 1, val: 0, test: 0 }');
    expect((await failure(() => prepareData(one, opts))).code).toBe('data/one-class');
    // the loader checks the path too; the data stage must still fail cleanly if the file goes away later
    const gone = spec(DATA);
    gone.data.source = { type: 'csv', path: 'gone.csv' };
    expect((await failure(() => prepareData(gone, opts))).code).toBe('data/file-not-found');
  });

  it('takes a seeded subset of a builtin dataset with limit', async () => {
    const penguins = (seed: number) =>
      pipelineWith(`source: { type: builtin, name: penguins, limit: 100 }\nfeatures: [{ name: Body Mass (g), type: numeric }]\ntarget: { name: Species, type: multiclass }\nsplit: { seed: ${seed} }`, 'multiclass', dir);
    const a = await prepareData(penguins(1), opts);
    const rowsOf = (d: typeof a) => [...d.train.rows, ...d.val.rows, ...d.test.rows].sort((x, y) => x - y);
    expect(rowsOf(a).length).toBe(100);
    expect(rowsOf(await prepareData(penguins(1), opts))).toEqual(rowsOf(a));
    expect(rowsOf(await prepareData(penguins(2), opts))).not.toEqual(rowsOf(a));
  });

  it('prepares JSONL text data as token ids', async () => {
    const recs = Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: i % 2 ? 'Buy CHEAP pills now' : 'meeting at noon', spam: i % 2 }));
    writeFileSync(join(dir, 't.jsonl'), recs.join('\n'));
    const d = await prepareData(spec('source: { type: jsonl, path: t.jsonl }\nfeatures: [{ name: text, type: text, maxLength: 6, padding: pre }]\ntarget: { name: spam, type: binary }'), opts);
    expect(d.inputDtype).toBe('int32');
    expect(d.inputShape).toEqual([6]);
    expect([...d.train.x.slice(0, 6)].slice(0, 2)).toEqual([0, 0]);
  });
});
