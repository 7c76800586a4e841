import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareTable } from '../data/prepare.ts';
import { rowsOf, tableFromRows, type Row, type Table } from '../data/table.ts';
import { pipelineWith } from '../data/test-support.ts';
import { buildModel } from '../model/build.ts';
import { loadModel, saveModel } from '../model/io.ts';
import { predictTensors } from '../train/evaluate.ts';
import { trainLoop } from '../train/loop.ts';
import { layer, trainSpec, useWasm } from '../train/test-support.ts';
import { predictRows, readRows } from './predict.ts';

beforeAll(useWasm);

/** 90 rows: two numeric columns and a category decide one of three classes. */
function table(): Table {
  const rows: Row[] = [];
  for (let i = 0; i < 90; i++) {
    const a = Math.sin(i * 1.7) * 3;
    const b = Math.cos(i * 0.9) * 2;
    const c = ['x', 'y', 'z'][i % 3];
    rows.push({ a, b, c, label: a + b > 1 ? 'hi' : a + b < -1 ? 'lo' : 'mid' });
  }
  return tableFromRows(rows, ['a', 'b', 'c', 'label']);
}

describe('save -> load -> predict', () => {
  it('gives exactly the predictions of the trained model, from raw rows', async () => {
    const spec = pipelineWith('source: { type: builtin, name: penguins }\nfeatures: [{ name: a, type: numeric }, { name: b, type: numeric }, { name: c, type: category }]\ntarget: { name: label, type: multiclass }', 'multiclass');
    const t = table();
    const data = prepareTable(spec.data, t, 42, 'fp');
    const model = buildModel({ layers: [layer({ type: 'dense', units: 8, activation: 'relu' }), layer({ type: 'dropout', rate: 0.1 }), layer({ type: 'dense', units: 3, activation: 'softmax' })] }, data, 3);
    await trainLoop({ model, spec: trainSpec({ loss: 'sparseCategoricalCrossentropy', optimizer: { name: 'adam', learningRate: 0.05 }, epochs: 5, batchSize: 8 }), data: { ...data, task: 'multiclass' }, seed: 3 });
    const expected = predictTensors(model, [data.test.x], data.test.n, [{ shape: data.inputShape, dtype: data.inputDtype }])[0]?.dataSync() ?? new Float32Array(0);

    const dir = mkdtempSync(join(tmpdir(), 'kiln-predict-'));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const testRows = rowsOf(t, data.test.rows);
    const predictions = predictRows({ model: loaded, state: JSON.parse(JSON.stringify(data.state)) }, testRows);
    const classes = data.target.classes!;
    expect(predictions.length).toBe(data.test.n);
    predictions.forEach((p, i) => {
      if (!('probabilities' in p)) throw new Error('expected a class prediction');
      expect(classes.map((c) => p.probabilities[c])).toEqual(Array.from(expected.subarray(i * 3, i * 3 + 3)));
      const row = Array.from(expected.subarray(i * 3, i * 3 + 3));
      expect(p.class).toBe(classes[row.indexOf(Math.max(...row))]);
    });
    model.dispose();
    loaded.dispose();
  });

  it('answers a standardized regression target in its own units; a state saved without a scale answers the raw output', () => {
    const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ a: i / 10, y: 1000 + 50 * Math.sin(i) }));
    const t = tableFromRows(rows, ['a', 'y']);
    const spec = pipelineWith('source: { type: builtin, name: penguins }\nfeatures: [{ name: a, type: numeric }]\ntarget: { name: y, type: regression }', 'regression');
    const data = prepareTable(spec.data, t, 42, 'fp');
    const scale = data.target.scale;
    if (!scale) throw new Error('the default scale is standard');
    const model = buildModel({ layers: [layer({ type: 'dense', units: 1 })] }, data, 3);
    const raw = Array.from(predictTensors(model, [data.test.x], data.test.n, [{ shape: data.inputShape, dtype: data.inputDtype }])[0]?.dataSync() ?? []);
    const testRows = rowsOf(t, data.test.rows);
    const value = (p: { row: number } & object) => ('value' in p && typeof p.value === 'number' ? p.value : Number.NaN);
    const scaled = predictRows({ model, state: JSON.parse(JSON.stringify(data.state)) }, testRows).map(value);
    expect(scaled).toEqual(raw.map((v) => expect.closeTo(v * scale.std + scale.mean, 3)));
    const { scale: _dropped, ...older } = data.state.target;
    expect(predictRows({ model, state: { ...data.state, target: older } }, testRows).map(value)).toEqual(raw);
    model.dispose();
  });

  it('reads rows from .jsonl, .json and .csv, and refuses other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-rows-'));
    writeFileSync(join(dir, 'r.jsonl'), '{"a": 1, "c": "x"}\n{"a": 2, "c": "y"}\n');
    writeFileSync(join(dir, 'r.csv'), 'a,c\n1,x\n2,y\n');
    expect(await readRows(join(dir, 'r.jsonl'))).toEqual([{ a: 1, c: 'x' }, { a: 2, c: 'y' }]);
    expect(await readRows(join(dir, 'r.csv'))).toEqual([{ a: '1', c: 'x' }, { a: '2', c: 'y' }]);
    writeFileSync(join(dir, 'r.json'), '[{"a": 1, "c": "x"}, {"a": 2, "c": "y"}]');
    expect(await readRows(join(dir, 'r.json'))).toEqual([{ a: 1, c: 'x' }, { a: 2, c: 'y' }]);
    await expect(readRows(join(dir, 'r.txt'))).rejects.toThrow(/cannot read .*r\.txt: unknown file type/);
    expect(readFileSync(join(dir, 'r.csv'), 'utf8')).toContain('a,c');
  });
});
