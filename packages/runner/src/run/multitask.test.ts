import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineText } from '@kiln/core';
import { getRun, openStore } from '@kiln/core/store';
import { splitTargets } from '../data/inputs.ts';
import { prepareData } from '../data/prepare.ts';
import { unscaleTarget } from '../data/preprocess/index.ts';
import { openSource } from '../data/sources/index.ts';
import { rowsOf } from '../data/table.ts';
import { loadRun } from '../artifacts/load.ts';
import { predictRows, type HeadPrediction } from '../predict/predict.ts';
import { useWasm } from '../train/test-support.ts';
import { trainPipeline } from './train-pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-multitask-'));
const store = join(dir, 'kiln.db');

// Three heads on two inputs: species (multiclass), sex (binary), body mass (regression).
const YAML = `name: three-heads
seed: 7
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Beak Length (mm), type: numeric }
    - { name: Beak Depth (mm), type: numeric }
    - { name: Flipper Length (mm), type: numeric }
    - { name: Island, type: category }
  targets:
    - { name: Species, type: multiclass }
    - { name: Sex, type: binary, positive: MALE }
    - { name: Body Mass (g), type: regression }
model:
  graph:
    inputs:
      - { name: m, features: [Beak Length (mm), Beak Depth (mm), Flipper Length (mm)] }
      - { name: c, features: [Island] }
    nodes:
      - { name: trunk, from: [m, c], layers: [{ type: dense, units: 16, activation: relu }] }
      - { name: s, from: trunk, layers: [{ type: dense, units: 3, activation: softmax }] }
      - { name: x, from: trunk, layers: [{ type: dense, units: 1, activation: sigmoid }] }
      - { name: w, from: trunk, layers: [{ type: dense, units: 1 }] }
    outputs:
      - { name: species, from: s, target: Species, metrics: [accuracy] }
      - { name: sex, from: x, target: Sex, loss: binaryCrossentropy, metrics: [accuracy, auc] }
      - { name: mass, from: w, target: Body Mass (g), loss: mse, lossWeight: 0.000001, metrics: [rmse] }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam, learningRate: 0.01 }
  epochs: 3
  batchSize: 16
runtime: { backend: wasm, threads: 1 }
`;

beforeAll(useWasm);

describe('training and predicting a three-head model', () => {
  it('logs test metrics and a confusion matrix per classification head, and predict reproduces every head', async () => {
    const r = loadPipelineText(join(dir, 'pipeline.yaml'), YAML);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const pipeline = r.pipeline;
    const result = await trainPipeline(pipeline, { store, quiet: true, cacheDir: join(dir, 'cache'), exitHandlers: false });
    expect(result.status).toBe('finished');
    expect(Object.keys(result.metrics.test).sort()).toEqual(['loss', 'mass.loss', 'mass.rmse', 'sex.accuracy', 'sex.auc', 'sex.loss', 'species.accuracy', 'species.loss']);
    expect(result.confusion).toHaveLength(3);

    const s = await openStore(store);
    const run = (await getRun(s, result.runId))!;
    s.close();
    const confusions = run.artifacts.filter((a) => a.kind === 'confusion').map((a) => a.path.split('/').pop());
    // in head order; the first classification head keeps the plain name (and says which output it is)
    expect(confusions).toEqual(['confusion.json', 'confusion.sex.json']);
    const first = JSON.parse(readFileSync(join(s.artifactsDir, result.runId, 'confusion.json'), 'utf8')) as { output: string };
    expect(first.output).toBe('species');
    const sex = JSON.parse(readFileSync(join(s.artifactsDir, result.runId, 'confusion.sex.json'), 'utf8')) as { output: string; classes: string[]; matrix: number[][] };
    expect([sex.output, sex.classes]).toEqual(['sex', ['FEMALE', 'MALE']]);

    const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, cacheDir: join(dir, 'cache') });
    const table = await (await openSource(pipeline.spec.data.source, { baseDir: pipeline.baseDir })).load();
    const predictor = await loadRun(result.runId, store);
    const predictions = predictRows(predictor, rowsOf(table, data.test.rows));
    predictor.model.dispose();
    const heads = predictions.map((p) => ('outputs' in p ? p.outputs : {}));
    const [species, sexes, mass] = splitTargets(data.test);
    const [speciesInfo, sexInfo, massInfo] = data.targets ?? [];
    if (!species || !sexes || !mass || !speciesInfo?.classes || !sexInfo?.classes) throw new Error('three targets, two of them classes');
    const label = (h: HeadPrediction | undefined) => (h && 'class' in h ? h.class : '');
    const value = (h: HeadPrediction | undefined) => (h && 'value' in h ? h.value : Number.NaN);
    const accuracy = (name: string, y: ArrayLike<number>, classes: string[]) => heads.filter((h, i) => label(h[name]) === classes[y[i] ?? -1]).length / data.test.n;
    expect(accuracy('species', species, speciesInfo.classes)).toBe(result.metrics.test['species.accuracy']);
    expect(accuracy('sex', sexes, sexInfo.classes)).toBe(result.metrics.test['sex.accuracy']);
    // the prepared mass is standardized (data.target.scale's default); predict answers in grams
    const rmse = Math.sqrt(heads.reduce((sum, h, i) => sum + (value(h.mass) - unscaleTarget(massInfo?.scale, mass[i] ?? Number.NaN)) ** 2, 0) / data.test.n);
    expect(rmse).toBeCloseTo(result.metrics.test['mass.rmse'] ?? Number.NaN, 1);
  }, 60_000);
});
