import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineFile, type ResolvedPipeline } from '@kiln/core';
import { getRun, metricHistory, openStore } from '@kiln/core/store';
import { selectBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import { openSource } from '../data/sources/index.ts';
import { rowsOf } from '../data/table.ts';
import { loadRun } from '../artifacts/load.ts';
import { predictRows } from '../predict/predict.ts';
import { syntheticData } from '../train/synthetic.ts';
import { useWasm } from '../train/test-support.ts';
import { trainPipeline, trainPrepared } from './train-pipeline.ts';

const PENGUINS = join(import.meta.dirname, '../../../../pipelines/penguins-mlp.yaml');
const dir = mkdtempSync(join(tmpdir(), 'kiln-train-test-'));
const store = join(dir, 'kiln.db');
const cacheDir = join(dir, 'cache');

function penguins(sets: string[] = []): ResolvedPipeline {
  const r = loadPipelineFile(PENGUINS, { overrides: ['runtime.backend=wasm', 'runtime.threads=1', 'train.epochs=4', ...sets] });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pipeline;
}

beforeAll(useWasm);

describe('trainPipeline on the penguins pipeline', () => {
  it('trains, tracks every epoch, evaluates on test, saves the model; the same pipeline twice gives identical numbers', async () => {
    const a = await trainPipeline(penguins(), { store, quiet: true, cacheDir, exitHandlers: false });
    const b = await trainPipeline(penguins(), { store, quiet: true, cacheDir, exitHandlers: false });
    expect(a.status).toBe('finished');
    expect(a.epochs).toBe(4);
    expect(a.metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(Object.keys(a.metrics.val).sort()).toEqual(['accuracy', 'f1', 'loss']);
    expect(a.confusion!.length).toBe(3);
    expect(a.confusion!.flat().reduce((s, v) => s + v, 0)).toBeGreaterThan(40);
    expect([a.metrics, a.confusion, a.bestEpoch]).toEqual([b.metrics, b.confusion, b.bestEpoch]);

    const s = await openStore(store);
    try {
      const run = (await getRun(s, a.runId))!;
      expect(run.status).toBe('finished');
      expect(run.params['train.optimizer.learningRate']).toBe(0.01);
      expect(run.tags.task).toBe('tabular');
      expect(run.artifacts.map((x) => x.kind).sort()).toEqual(['class-report', 'confusion', 'model', 'preprocess', 'split', 'weights']);
      const keys = ['val.accuracy', 'train.loss', 'train.batch_loss', 'lr', 'test.accuracy'];
      const values = async (id: string) => Promise.all(keys.map(async (k) => (await metricHistory(s, id, k)).points.map((p) => [p.step, p.value])));
      const [ha, hb] = [await values(a.runId), await values(b.runId)];
      expect(ha.map((points) => points.length)).toEqual([4, expect.any(Number), expect.any(Number), expect.any(Number), 1]);
      expect(ha).toEqual(hb);
      // system metrics: one point per epoch end, at the epoch metrics' steps (their values differ from run to run)
      const epochSteps = (await metricHistory(s, a.runId, 'val.accuracy')).points.map((p) => p.step);
      for (const k of ['sys/cpu_percent', 'sys/rss_mb', 'sys/heap_used_mb', 'sys/elapsed_seconds']) expect((await metricHistory(s, a.runId, k)).points.map((p) => p.step), k).toEqual(epochSteps);
    } finally {
      s.close();
    }
  });

  it('save -> load -> predict reproduces the test metrics from the raw rows', async () => {
    const pipeline = penguins(['train.epochs=3']);
    const result = await trainPipeline(pipeline, { store, quiet: true, cacheDir, exitHandlers: false });
    const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, cacheDir });
    const testRows = rowsOf(await (await openSource(pipeline.spec.data.source, { baseDir: pipeline.baseDir })).load(), data.test.rows);
    const predictor = await loadRun(result.runId, store);
    const predictions = predictRows(predictor, testRows);
    const classes = data.target.classes!;
    const correct = predictions.filter((p, i) => 'class' in p && p.class === classes[data.test.y[i] ?? -1]).length;
    expect(correct / data.test.n).toBe(result.metrics.test.accuracy);
    predictor.model.dispose();
  });

  it('marks a diverging run failed with the epoch and step', async () => {
    const pipeline = penguins(['train.shuffle=false']);
    const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, cacheDir });
    const [features = 0] = data.inputShape;
    data.train.x[40 * features] = Number.NaN; // row 40: batch 3 at batch size 16
    const backend = await selectBackend('wasm');
    const r = await trainPrepared(pipeline, data, backend, { store, quiet: true, exitHandlers: false });
    expect(r.status).toBe('failed');
    expect(r.reason).toBe('diverged at epoch 1 step 3');
    const s = await openStore(store);
    const run = (await getRun(s, r.runId))!;
    s.close();
    expect([run.status, run.failureReason]).toEqual(['failed', r.reason]);
    expect(backend.name).toBe('wasm');
  });

  it('prunes when onEpoch says stop, and rejects a head that does not fit the classes', async () => {
    const r = await trainPipeline(penguins(), { store, quiet: true, cacheDir, exitHandlers: false, onEpoch: (e) => (e === 2 ? 'stop' : undefined) });
    expect([r.status, r.epochs]).toEqual(['pruned', 2]);
    const bad = penguins(['model.layers[2].units=4']);
    const data = syntheticData('multiclass', 40);
    await expect(trainPrepared(bad, data, await selectBackend('wasm'), { store, quiet: true, exitHandlers: false })).rejects.toThrow(/4 units, but the target label has 3 classes/);
  });
});
