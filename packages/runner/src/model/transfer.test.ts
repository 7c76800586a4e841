import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KilnFailure, loadPipelineFile, type ResolvedPipeline } from '@kiln/core';
import { getRun, openStore } from '@kiln/core/store';
import { loadRun } from '../artifacts/load.ts';
import { trainPipeline } from '../run/train-pipeline.ts';
import { buildFromRun } from './transfer.ts';
import { useWasm } from '../train/test-support.ts';

const PENGUINS = join(import.meta.dirname, '../../../../pipelines/penguins-mlp.yaml');
const dir = mkdtempSync(join(tmpdir(), 'kiln-transfer-test-'));
const store = join(dir, 'kiln.db');
const cacheDir = join(dir, 'cache');
const opts = { store, quiet: true, cacheDir, exitHandlers: false };

/** The penguins pipeline with its model section replaced by `model` (YAML), trained for 3 epochs. */
function pipeline(model: string, name: string): ResolvedPipeline {
  const text = readFileSync(PENGUINS, 'utf8').replace(/^model:[\s\S]*?(?=^train:)/m, `${model}\n`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const r = loadPipelineFile(file, { overrides: ['runtime.backend=wasm', 'runtime.threads=1', 'train.epochs=3'] });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pipeline;
}

const PARENT = `model:
  layers:
    - { type: dense, units: 8, activation: relu, name: body1 }
    - { type: dense, units: 6, activation: relu, name: body2 }
    - { type: dense, units: 3, activation: softmax, name: head }`;
const child = (from: string) => `model:
  from: ${from}
  layers:
    - { type: dense, units: 3, activation: softmax }`;

/** The named layer's weights of a run's saved model. */
async function weightsOf(runId: string, layer: string): Promise<number[][]> {
  const { model } = await loadRun(runId, store);
  const w = model.getLayer(layer).getWeights().map((t) => Array.from(t.dataSync()));
  model.dispose();
  return w;
}

let parentId = '';
beforeAll(async () => {
  await useWasm();
  parentId = (await trainPipeline(pipeline(PARENT, 'parent'), opts)).runId;
});

describe('model.from', () => {
  it('keeps and freezes the parent layers, trains a new head, and records the parent', async () => {
    const r = await trainPipeline(pipeline(child(`{ run: ${parentId} }`), 'frozen'), opts);
    expect(r.status).toBe('finished');
    expect(await weightsOf(r.runId, 'body1')).toEqual(await weightsOf(parentId, 'body1'));
    expect(await weightsOf(r.runId, 'body2')).toEqual(await weightsOf(parentId, 'body2'));
    const { model } = await loadRun(r.runId, store);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'body1', 'body2', 'new_dense_0']);
    model.dispose();
    const s = await openStore(store);
    const run = (await getRun(s, r.runId))!;
    const parent = (await getRun(s, parentId))!;
    s.close();
    expect(run.params['model.from.run']).toBe(parentId);
    expect(run.parentRunId).toBe(parentId);
    expect(run.parent).toMatchObject({ id: parentId, status: 'finished' });
    expect(parent.children.map((c) => c.id)).toContain(r.runId);
  });

  it('freezes only the listed layers, and cuts at upTo', async () => {
    const r = await trainPipeline(pipeline(child(`{ run: ${parentId}, upTo: body1, freeze: [body1] }`), 'partial'), opts);
    expect(await weightsOf(r.runId, 'body1')).toEqual(await weightsOf(parentId, 'body1'));
    const { model } = await loadRun(r.runId, store);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'body1', 'new_dense_0']);
    model.dispose();
    const tuned = await trainPipeline(pipeline(child(`{ run: ${parentId}, freeze: false }`), 'tuned'), opts);
    expect(await weightsOf(tuned.runId, 'body2')).not.toEqual(await weightsOf(parentId, 'body2'));
  });

  it('unfreezes the kept layers at model.from.unfreeze.epoch, so they move from the parent\'s values', async () => {
    const r = await trainPipeline(pipeline(child(`{ run: ${parentId}, freeze: true, unfreeze: { epoch: 3, learningRate: 0.001 } }`), 'unfrozen'), opts);
    expect(r.status).toBe('finished');
    const [parent, tuned] = [await weightsOf(parentId, 'body1'), await weightsOf(r.runId, 'body1')];
    expect(tuned).not.toEqual(parent);
    // one epoch at a tenth of the main rate: a nudge, not a retrain
    const [tunedKernel = [], parentKernel = []] = [tuned[0], parent[0]];
    const change = Math.max(...tunedKernel.map((v, i) => Math.abs(v - (parentKernel[i] ?? Number.NaN))));
    expect(change).toBeGreaterThan(1e-5);
    expect(change).toBeLessThan(0.05);
  });

  it('starts a new bidirectional layer\'s two directions from different kernels, as the stack form does', async () => {
    const { model: parent, state } = await loadRun(parentId, store);
    parent.dispose();
    const spec = pipeline(`model:
  from: { run: ${parentId} }
  layers:
    - { type: reshape, targetShape: [2, 3] }
    - { type: bidirectional, layer: { type: gru, units: 2 } }
    - { type: dense, units: 3, activation: softmax }`, 'bidi').spec.model;
    const m = await buildFromRun(spec, { inputShape: state.inputShape, inputDtype: state.inputDtype, target: state.target, state }, 4, (runId, path) => loadRun(runId, store, path));
    const w = m.getLayer('new_bidirectional_1').getWeights().map((t) => Array.from(t.dataSync()));
    expect(w.length).toBe(6);
    expect(w[3]).not.toEqual(w[0]);
    expect(w[4]).not.toEqual(w[1]);
    m.dispose();
  });

  it('fails with located errors for an unknown layer, an unknown frozen name, or a missing run', async () => {
    const failure = async (from: string) => {
      const err = await trainPipeline(pipeline(child(from), 'bad'), opts).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KilnFailure);
      const [first] = (err as KilnFailure).errors;
      if (first === undefined) throw err;
      return first;
    };
    expect(await failure(`{ run: ${parentId}, upTo: body9 }`)).toMatchObject({ path: 'model.from.upTo', message: expect.stringContaining('no layer named body9') });
    expect(await failure(`{ run: ${parentId}, freeze: [body1, nope] }`)).toMatchObject({ path: 'model.from.freeze[1]' });
    expect((await failure('{ run: no-such-run }')).message).toContain('no run with id no-such-run');
  });
});
