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

beforeAll(useWasm);

/** Deterministic small numbers. */
const fill = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * 0.5);

/** Plain-loop multi-head self-attention on one example: the reference the layer must match. */
function reference(x: number[][], w: number[][][], b: number[][], heads: number, k: number, causal: boolean): number[][] {
  const mm = (a: number[][], m: number[][], bias: number[]) => a.map((row) => m[0].map((_, j) => row.reduce((s, v, i) => s + v * m[i][j], bias[j])));
  const [q, key, v] = [0, 1, 2].map((r) => mm(x, w[r], b[r]));
  const t = x.length;
  const context = x.map(() => new Array<number>(heads * k).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const scores = Array.from({ length: t }, (_, j) => (causal && j > i ? -Infinity : Array.from({ length: k }, (_, c) => q[i][h * k + c] * key[j][h * k + c]).reduce((s, z) => s + z, 0) / Math.sqrt(k)));
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((s, z) => s + z, 0);
      for (let j = 0; j < t; j++) for (let c = 0; c < k; c++) context[i][h * k + c] += (e[j] / sum) * v[j][h * k + c];
    }
  }
  return mm(context, w[3], b[3]);
}

/** A built MultiHeadAttention on input [1, t, d] with known weights, and those weights as arrays. */
function knownAttention(t: number, d: number, heads: number, k: number, causal: boolean) {
  const layer = new MultiHeadAttention({ numHeads: heads, keyDim: k, causal, seed: 1 });
  layer.build([null, t, d]);
  const shapes = [[d, heads * k], [heads * k], [d, heads * k], [heads * k], [d, heads * k], [heads * k], [heads * k, d], [d]];
  const values = shapes.map((s, i) => fill(s.reduce((a, z) => a * z, 1), i));
  layer.setWeights(values.map((v, i) => tf.tensor(v, shapes[i])));
  const as2d = (v: number[], rows: number, cols: number) => Array.from({ length: rows }, (_, r) => v.slice(r * cols, (r + 1) * cols));
  const w = [0, 2, 4].map((i) => as2d(values[i], d, heads * k)).concat([as2d(values[6], heads * k, d)]);
  const b = [1, 3, 5, 7].map((i) => values[i]);
  return { layer, w, b };
}

describe('multiHeadAttention', () => {
  for (const causal of [false, true]) {
    it(`matches a plain-loop reference (causal: ${causal})`, () => {
      const [t, d, heads, k] = [4, 5, 2, 3];
      const { layer: mha, w, b } = knownAttention(t, d, heads, k, causal);
      const x = Array.from({ length: t }, (_, i) => fill(d, 10 + i));
      const out = (mha.apply(tf.tensor3d([x])) as tf.Tensor).arraySync() as number[][][];
      const want = reference(x, w, b, heads, k, causal);
      out[0].forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 4)));
    });
  }

  it('causal: the first step does not change when later steps do', () => {
    const { layer: mha } = knownAttention(3, 4, 2, 2, true);
    const a = tf.tensor3d([[fill(4, 1), fill(4, 2), fill(4, 3)]]);
    const b = tf.tensor3d([[fill(4, 1), fill(4, 7), fill(4, 8)]]);
    const [oa, ob] = [a, b].map((x) => (mha.apply(x) as tf.Tensor).arraySync() as number[][][]);
    oa[0][0].forEach((v, j) => expect(v).toBeCloseTo(ob[0][0][j], 5));
    expect(oa[0][2][0]).not.toBeCloseTo(ob[0][2][0], 3);
  });
});

/** Autodiff gradient of sum(out * r) against central finite differences, for the input and every weight. */
function checkGradients(layer: MultiHeadAttention | TransformerEncoder, t: number, d: number): void {
  const x = tf.tensor3d([Array.from({ length: t }, (_, i) => fill(d, 20 + i))]);
  layer.apply(x);
  const r = tf.tensor(fill(t * d, 99), [1, t, d]);
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, r)) as tf.Scalar;
  const eps = 1e-2;
  const dx = tf.grad(f)(x).dataSync();
  const xv = x.dataSync();
  for (const i of [0, 3, t * d - 1]) {
    const plus = Float32Array.from(xv);
    const minus = Float32Array.from(xv);
    plus[i] += eps;
    minus[i] -= eps;
    const numeric = (f(tf.tensor(plus, x.shape)).dataSync()[0] - f(tf.tensor(minus, x.shape)).dataSync()[0]) / (2 * eps);
    expect(Math.abs(dx[i] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => f(x), vars);
  for (const v of vars) {
    const g = grads[v.name].dataSync();
    const orig = v.dataSync().slice();
    const i = orig.length - 1;
    const at = (delta: number) => {
      const copy = Float32Array.from(orig);
      copy[i] += delta;
      v.assign(tf.tensor(copy, v.shape));
      return f(x).dataSync()[0];
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    v.assign(tf.tensor(orig, v.shape));
    expect(Math.abs(g[i] - numeric), v.name).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  expect(vars.length).toBeGreaterThan(0);
}

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
    const rows = (out.arraySync() as number[][][])[0];
    for (const row of rows) expect(row.reduce((s, v) => s + v, 0) / 4).toBeCloseTo(0, 4);
    expect(rows[0][0]).not.toBeCloseTo(rows[1][0], 3);
    const noPos = new TransformerEncoder({ numHeads: 2, ffDim: 8, seed: 3, positionalEmbedding: false });
    const same = ((noPos.apply(x) as tf.Tensor).arraySync() as number[][][])[0];
    same[0].forEach((v, j) => expect(v).toBeCloseTo(same[1][j], 5));
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
