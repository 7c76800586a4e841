import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { loadPipelineText, type PipelineSpec } from '@kiln/core';
import { readCache, writeCache } from './cache.ts';
import { dataInputs, dataTargets, makeInputAugmenter, splitInputs, splitTargets } from './inputs.ts';
import { prepareData } from './prepare.ts';
import { transformRows } from './transform.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-inputs-'));
// 50 rows: a number, a short text, a binary label and a regression score
const lines = ['x,note,label,score'];
for (let i = 0; i < 50; i++) lines.push(`${i},${i % 2 === 0 ? 'cheap pills now' : 'meeting notes attached'},${i % 2 === 0 ? 'spam' : 'ham'},${i * 0.5}`);
writeFileSync(join(dir, 'd.csv'), lines.join('\n') + '\n');

/** A two-input (text ids + a number), two-target graph pipeline, through the real loader. */
function multiSpec(noteExtra = ''): PipelineSpec {
  const yaml = `name: t
seed: 42
data:
  source: { type: csv, path: d.csv }
  features:
    - { name: x, type: numeric }
    - { name: note, type: text, vocabSize: 20, maxLength: 4${noteExtra} }
  targets:
    - { name: label, type: binary }
    - { name: score, type: regression, scale: none }
model:
  graph:
    inputs:
      - { name: words, features: [note] }
      - { name: nums, features: [x] }
    nodes:
      - { name: t, from: words, layers: [{ type: embedding, outputDim: 4 }, { type: globalAveragePooling1d }] }
      - { name: both, from: [t, nums], layers: [{ type: dense, units: 8, activation: relu }] }
      - { name: cls, from: both, layers: [{ type: dense, units: 1, activation: sigmoid }] }
      - { name: reg, from: both, layers: [{ type: dense, units: 1 }] }
    outputs:
      - { name: spam, from: cls, target: label, metrics: [accuracy] }
      - { name: size, from: reg, target: score, loss: mse, metrics: [rmse] }
train: { loss: binaryCrossentropy, optimizer: { name: adam } }
`;
  const r = loadPipelineText(join(dir, 'pipeline.yaml'), yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pipeline.spec;
}

describe('several graph inputs and several targets', () => {
  it('encodes one array per input, each with its own dtype and shape, and one array per target', async () => {
    const d = await prepareData(multiSpec(), { baseDir: dir, cache: false });
    expect(dataInputs(d)).toEqual([
      { name: 'words', features: [1], shape: [4], dtype: 'int32' },
      { name: 'nums', features: [0], shape: [1], dtype: 'float32' },
    ]);
    const [words, nums] = splitInputs(d.train);
    expect(words).toBeInstanceOf(Int32Array);
    expect(nums).toBeInstanceOf(Float32Array);
    expect([words!.length, nums!.length]).toEqual([d.train.n * 4, d.train.n]);
    expect(dataTargets(d).map((t) => [t.name, t.type])).toEqual([['label', 'binary'], ['score', 'regression']]);
    const [label, score] = splitTargets(d.train);
    // each row's targets come from that row: score is half the row number, label alternates with it
    d.train.rows.forEach((row, k) => {
      expect(score![k]).toBeCloseTo(row * 0.5);
      expect(label![k]).toBe(row % 2 === 0 ? 1 : 0);
    });
    expect(d.state.inputs).toEqual(d.inputs);
    expect(d.state.targets).toEqual(d.targets);
  });

  it('rebuilds every input from the saved state at predict time, as in training', async () => {
    const d = await prepareData(multiSpec(), { baseDir: dir, cache: false });
    const state = JSON.parse(JSON.stringify(d.state)) as typeof d.state;
    const rows = Array.from(d.test.rows, (i) => ({ x: i, note: i % 2 === 0 ? 'cheap pills now' : 'meeting notes attached' }));
    const { xs } = transformRows(state, rows);
    expect(xs.map((a) => Array.from(a))).toEqual(splitInputs(d.test).map((a) => Array.from(a)));
  });

  it('round-trips every input and target array through the cache, keyed apart from the single-input layout', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kiln-inputs-cache-'));
    const spec = multiSpec();
    const d = await prepareData(spec, { baseDir: dir, cacheDir });
    const hit = await readCache(cacheDir, d.fingerprint);
    expect(hit?.cached).toBe(true);
    expect(splitInputs(hit!.val).map((a) => Array.from(a))).toEqual(splitInputs(d.val).map((a) => Array.from(a)));
    expect(splitTargets(hit!.test).map((a) => Array.from(a))).toEqual(splitTargets(d.test).map((a) => Array.from(a)));
    expect(hit!.inputs).toEqual(d.inputs);
    await writeCache(cacheDir, hit!);
    // the same data section with the inputs swapped is another entry
    const swapped = { ...spec, model: { graph: { ...spec.model.graph!, inputs: [...spec.model.graph!.inputs].reverse() } } };
    const other = await prepareData(swapped, { baseDir: dir, cacheDir });
    expect(other.fingerprint).not.toBe(d.fingerprint);
    expect(other.cached).toBe(false);
  });

  it('augments each input from its own features: token dropout changes the text input only', async () => {
    const spec = multiSpec(', augment: { tokenDropout: 0.5 }');
    const d = await prepareData(spec, { baseDir: dir, cache: false });
    const augment = must(makeInputAugmenter(spec.data.features, d.state, 1), 'the text feature asks for augmentation');
    const [words, nums] = splitInputs(d.train).map((a) => a.slice());
    const [sourceWords, sourceNums] = splitInputs(d.train);
    if (!words || !nums || !sourceWords || !sourceNums) throw new Error('two inputs: words and numbers');
    augment(words, d.train.n, 1, 0);
    augment(nums, d.train.n, 1, 1);
    expect(Array.from(nums)).toEqual(Array.from(sourceNums));
    const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v === 0).length;
    expect(zeros(words)).toBeGreaterThan(zeros(sourceWords));
    expect(makeInputAugmenter(multiSpec().data.features, d.state, 1)).toBeUndefined();
  });
});
