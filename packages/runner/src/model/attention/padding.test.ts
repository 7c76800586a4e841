import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initializers, input, layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { useWasm } from '../../train/test-support.ts';
import { loadModel, saveModel } from '../io.ts';
import { MaskedGlobalAveragePooling1D, MaskedGlobalMaxPooling1D, MultiHeadAttention, TransformerEncoder } from './layers.ts';
import { at, checkGradients, expectRowsClose, fill, knownAttention, reference, rowOf } from './test-support.ts';

beforeAll(useWasm);

const PADS = 2;
const [T, D, HEADS, K] = [6, 5, 2, 3];
/** One sequence of T steps whose first PADS steps are padding (pre-padding, as the text features produce); the pad vectors are not zero, like an embedding of id 0. */
const padded = Array.from({ length: T }, (_, i) => fill(D, i < PADS ? 50 : 10 + i));
const unpadded = padded.slice(PADS);
const real = padded.map((_, i) => i >= PADS);
const maskOf = (rows: boolean[][]) => tf.tensor2d(rows, undefined, 'bool');
const rows = (t: tf.Tensor) => t.arraySync() as number[][][];
/** The outputs of the first (or only) example of a batch. */
const first = (t: tf.Tensor) => rowOf(rows(t), 0);

describe('multiHeadAttention with a padding mask', () => {
  for (const causal of [false, true]) {
    it(`matches the loop reference, and at real steps the unpadded sequence (causal: ${causal})`, () => {
      const { layer: mha, w, b } = knownAttention(T, D, HEADS, K, causal);
      const out = first(mha.apply(tf.tensor3d([padded]), { mask: maskOf([real]) }) as tf.Tensor);
      // Outputs at padded steps are not used (and causal pads see no real key), so only real steps are compared.
      expectRowsClose(out.slice(PADS), reference(padded, w, b, HEADS, K, causal, real).slice(PADS));
      const alone = first(mha.apply(tf.tensor3d([unpadded])) as tf.Tensor);
      expectRowsClose(out.slice(PADS), alone);
      expectRowsClose(alone, reference(unpadded, w, b, HEADS, K, causal));
    });
  }

  it('masks each example of a batch by its own padding, and attends to pads when maskPadding is off', () => {
    const { layer: mha } = knownAttention(T, D, HEADS, K, false);
    const full = padded.map((_, i) => fill(D, 30 + i));
    const batch = rows(mha.apply(tf.tensor3d([padded, full]), { mask: maskOf([real, real.map(() => true)]) }) as tf.Tensor);
    expectRowsClose(rowOf(batch, 1), first(mha.apply(tf.tensor3d([full])) as tf.Tensor));
    expectRowsClose(rowOf(batch, 0).slice(PADS), first(mha.apply(tf.tensor3d([unpadded])) as tf.Tensor));
    const off = new MultiHeadAttention({ numHeads: HEADS, keyDim: K, maskPadding: false, seed: 1 });
    off.build([null, T, D]);
    off.setWeights(mha.getWeights());
    const ignored = first(off.apply(tf.tensor3d([padded]), { mask: maskOf([real]) }) as tf.Tensor);
    expectRowsClose(ignored, first(mha.apply(tf.tensor3d([padded])) as tf.Tensor));
    expect(at(ignored, PADS, 0)).not.toBeCloseTo(at(rowOf(batch, 0), PADS, 0), 3);
  });
});

describe('transformerEncoder with a padding mask', () => {
  it('gives the unpadded outputs at real steps (no positions, since padding shifts them), only with maskPadding', () => {
    const make = (maskPadding: boolean) => new TransformerEncoder({ numHeads: HEADS, ffDim: 7, dropout: 0, positionalEmbedding: false, maskPadding, seed: 9 });
    const enc = make(true);
    const out = first(enc.apply(tf.tensor3d([padded]), { mask: maskOf([real]) }) as tf.Tensor);
    expectRowsClose(out.slice(PADS), first(enc.apply(tf.tensor3d([unpadded])) as tf.Tensor));
    const off = make(false);
    off.apply(tf.tensor3d([padded]));
    off.setWeights(enc.getWeights());
    const ignored = first(off.apply(tf.tensor3d([padded]), { mask: maskOf([real]) }) as tf.Tensor);
    expect(at(ignored, PADS, 0)).not.toBeCloseTo(at(out, PADS, 0), 3);
  });
});

describe('gradients with a padding mask', () => {
  // Causal attention over pre-padding leaves the padded queries no allowed key at all: the case
  // where added (rather than substituted) -1e9 scores gave a gradient the forward pass did not have.
  it('multiHeadAttention, causal, a pad also between real steps: autodiff matches finite differences', () =>
    checkGradients(new MultiHeadAttention({ numHeads: 2, keyDim: 3, causal: true, seed: 4 }), 5, 4, maskOf([[false, true, true, false, true]])));
  // A smaller step: on this masked input, central differences at 1e-2 are off by up to 0.03 (curvature
  // or a ReLU kink of the feed-forward network within reach); at 1e-3 they agree.
  it('transformerEncoder: autodiff matches finite differences', () => checkGradients(new TransformerEncoder({ numHeads: 2, ffDim: 6, dropout: 0, seed: 5 }), 5, 4, maskOf([[false, true, true, true, true]]), 1e-3));
});

describe('masked pooling', () => {
  it('averages and maxes over real steps only; a sequence of only padding pools to zeros', () => {
    const x = tf.tensor3d([padded, padded]);
    const mask = maskOf([real, real.map(() => false)]);
    const mean = (new MaskedGlobalAveragePooling1D().apply(x, { mask }) as tf.Tensor).arraySync() as number[][];
    const max = (new MaskedGlobalMaxPooling1D().apply(x, { mask }) as tf.Tensor).arraySync() as number[][];
    for (let j = 0; j < D; j++) {
      const column = unpadded.map((_, i) => at(unpadded, i, j));
      expect(at(mean, 0, j)).toBeCloseTo(column.reduce((s, v) => s + v, 0) / column.length, 5);
      expect(at(max, 0, j)).toBeCloseTo(Math.max(...column), 5);
    }
    expect(mean[1]).toEqual(new Array(D).fill(0));
    expect(max[1]).toEqual(new Array(D).fill(0));
    const plain = (new MaskedGlobalAveragePooling1D().apply(x) as tf.Tensor).arraySync() as number[][];
    expect(at(plain, 0, 0)).toBeCloseTo(padded.reduce((s, _, i) => s + at(padded, i, 0), 0) / T, 5);
  });
});

/** Token ids -> embedding (id 0 = padding) -> encoder -> attention -> masked mean -> sigmoid: the mask flows from the embedding. */
function textModel(): LayersModel {
  const ids = input({ shape: [null], dtype: 'int32' });
  let h = layers.embedding({ inputDim: 20, outputDim: 6, maskZero: true, embeddingsInitializer: initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) }).apply(ids) as SymbolicTensor;
  h = new TransformerEncoder({ numHeads: 2, ffDim: 8, dropout: 0, positionalEmbedding: false, seed: 7, name: 'enc' }).apply(h) as SymbolicTensor;
  h = new MultiHeadAttention({ numHeads: 3, keyDim: 2, seed: 8 }).apply(h) as SymbolicTensor;
  h = new MaskedGlobalAveragePooling1D().apply(h) as SymbolicTensor;
  return functionalModel({ inputs: ids, outputs: layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: initializers.glorotUniform({ seed: 4 }) }).apply(h) as SymbolicTensor });
}

describe('a text model masked from its embedding', () => {
  const ids = [5, 3, 7, 2, 9];
  const predict = (m: LayersModel, x: tf.Tensor) => must((m.predict(x) as tf.Tensor).dataSync()[0], 'one prediction per example');

  it('predicts the same with and without padding, through predict and apply, and after save and load', async () => {
    const withPads = tf.tensor2d([[0, 0, 0, ...ids]], undefined, 'int32');
    const withoutPads = tf.tensor2d([ids], undefined, 'int32');
    const m = textModel();
    const want = predict(m, withoutPads);
    expect(predict(m, withPads)).toBeCloseTo(want, 5);
    expect((m.apply(withPads, { training: false }) as tf.Tensor).dataSync()[0]).toBeCloseTo(want, 5);
    const dir = await mkdtemp(join(tmpdir(), 'kiln-attn-pad-'));
    try {
      await saveModel(m, dir);
      const loaded = await loadModel(dir);
      expect(loaded.layers.map((l) => l.getClassName())).toContain('KilnMaskedGlobalAveragePooling1D');
      expect(loaded.getLayer('enc').getConfig()).toMatchObject({ maskPadding: true });
      expect(predict(loaded, withPads)).toBe(predict(m, withPads));
      expect(predict(loaded, withoutPads)).toBe(want);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      m.dispose();
    }
  });
});
