import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { input, model as functionalModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticData } from '../../train/synthetic.ts';
import { layer, useWasm } from '../../train/test-support.ts';
import { buildModel } from '../build.ts';
import { loadModel, saveModel } from '../io.ts';
import { MultiHeadAttention, TransformerEncoder } from './layers.ts';
import { at, checkGradients, expectRowsClose, fill, knownAttention, reference, rowOf } from './test-support.ts';

/** The outputs of the first (or only) example of a batch. */
const firstOf = (t: tf.Tensor) => rowOf(t.arraySync() as number[][][], 0);

beforeAll(useWasm);

describe('multiHeadAttention', () => {
  for (const causal of [false, true]) {
    it(`matches a plain-loop reference (causal: ${causal})`, () => {
      const [t, d, heads, k] = [4, 5, 2, 3];
      const { layer: mha, w, b } = knownAttention(t, d, heads, k, causal);
      const x = Array.from({ length: t }, (_, i) => fill(d, 10 + i));
      const out = firstOf(mha.apply(tf.tensor3d([x])) as tf.Tensor);
      expectRowsClose(out, reference(x, w, b, heads, k, causal), 4);
    });
  }

  it('causal: the first step does not change when later steps do', () => {
    const { layer: mha } = knownAttention(3, 4, 2, 2, true);
    const a = tf.tensor3d([[fill(4, 1), fill(4, 2), fill(4, 3)]]);
    const b = tf.tensor3d([[fill(4, 1), fill(4, 7), fill(4, 8)]]);
    const [oa, ob] = [firstOf(mha.apply(a) as tf.Tensor), firstOf(mha.apply(b) as tf.Tensor)];
    expectRowsClose([rowOf(oa, 0)], [rowOf(ob, 0)], 5);
    expect(at(oa, 2, 0)).not.toBeCloseTo(at(ob, 2, 0), 3);
  });
});

describe('gradients', () => {
  it('multiHeadAttention: autodiff matches finite differences', () => checkGradients(new MultiHeadAttention({ numHeads: 2, keyDim: 3, seed: 4 }), 4, 5));
  it('transformerEncoder: autodiff matches finite differences', () => checkGradients(new TransformerEncoder({ numHeads: 2, ffDim: 6, dropout: 0, seed: 5 }), 4, 4));
});

describe('transformerEncoder', () => {
  it('keeps the shape, normalizes each step, and uses positions (same token at two steps gives two outputs)', () => {
    const enc = new TransformerEncoder({ numHeads: 2, ffDim: 8, seed: 3 });
    const x = tf.tensor3d([[fill(4, 1), fill(4, 1), fill(4, 2)]]);
    const out = enc.apply(x) as tf.Tensor;
    expect(out.shape).toEqual([1, 3, 4]);
    const rows = firstOf(out);
    for (const row of rows) expect(row.reduce((s, v) => s + v, 0) / 4).toBeCloseTo(0, 4);
    expect(at(rows, 0, 0)).not.toBeCloseTo(at(rows, 1, 0), 3);
    const noPos = new TransformerEncoder({ numHeads: 2, ffDim: 8, seed: 3, positionalEmbedding: false });
    const same = firstOf(noPos.apply(x) as tf.Tensor);
    expectRowsClose([rowOf(same, 0)], [rowOf(same, 1)], 5);
  });

  it('dropout acts only when training', () => {
    const enc = new TransformerEncoder({ numHeads: 1, ffDim: 4, dropout: 0.5, seed: 3 });
    const x = tf.tensor3d([[fill(4, 1), fill(4, 2)]]);
    const a = (enc.apply(x) as tf.Tensor).dataSync();
    expect(Array.from((enc.apply(x) as tf.Tensor).dataSync())).toEqual(Array.from(a));
    expect(Array.from((enc.apply(x, { training: true }) as tf.Tensor).dataSync())).not.toEqual(Array.from(a));
  });
});

describe('save and load', () => {
  it('a model holding both layers round-trips through model.json + weights.bin with identical predictions', async () => {
    const data = syntheticData('text', 20);
    const spec = {
      layers: [
        layer({ type: 'embedding', outputDim: 6 }),
        layer({ type: 'transformerEncoder', numHeads: 2, ffDim: 8, name: 'enc' }),
        layer({ type: 'multiHeadAttention', numHeads: 3, keyDim: 2, causal: true }),
        layer({ type: 'globalAveragePooling1d' }),
        layer({ type: 'dense', units: 1, activation: 'sigmoid' }),
      ],
    };
    const m = buildModel(spec, data, 11);
    const x = tf.tensor2d(data.test.x as Int32Array, [data.test.n, 12], 'int32');
    const before = (m.predict(x) as tf.Tensor).dataSync();
    const dir = await mkdtemp(join(tmpdir(), 'kiln-attn-'));
    try {
      await saveModel(m, dir);
      const loaded = await loadModel(dir);
      expect(loaded.layers.map((l) => l.getClassName())).toContain('KilnTransformerEncoder');
      expect(loaded.getLayer('enc').getConfig()).toMatchObject({ numHeads: 2, ffDim: 8, positionalEmbedding: true });
      const after = (loaded.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(after)).toEqual(Array.from(before));
      expect(loaded.getWeights().length).toBe(m.getWeights().length);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      m.dispose();
    }
  });

  it('a standalone layer in a functional model round-trips too', async () => {
    const x = input({ shape: [3, 4] });
    const m = functionalModel({ inputs: x, outputs: new MultiHeadAttention({ numHeads: 1, keyDim: 2, useBias: false, seed: 2 }).apply(x) as ReturnType<typeof input> });
    const dir = await mkdtemp(join(tmpdir(), 'kiln-attn-'));
    try {
      await saveModel(m, dir);
      const loaded = await loadModel(dir);
      const probe = tf.tensor3d([[fill(4, 1), fill(4, 2), fill(4, 3)]]);
      expect(Array.from((loaded.predict(probe) as tf.Tensor).dataSync())).toEqual(Array.from((m.predict(probe) as tf.Tensor).dataSync()));
      expect(loaded.getWeights().length).toBe(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
