import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { KILN_CONV_BIAS_ACTIVATION } from '../backend/wasm-kernels/conv-bias-activation.ts';
import { computeOn, expectSameResults, randomValues, setupBackends } from '../backend/wasm-kernels/test-support.ts';
import { FusedConv2D } from './fused-conv2d.ts';
import { buildModel } from './build.ts';
import { loadModel, saveModel } from './io.ts';
import { syntheticData } from '../train/synthetic.ts';
import { layer } from '../train/test-support.ts';

beforeAll(setupBackends);

type Args = ConstructorParameters<typeof FusedConv2D>[0];

/** Output and gradients of a weighted sum of it w.r.t. input, kernel and bias, as training records them. */
function valuesAndGradients(args: Args, fused: boolean): tf.Tensor[] {
  const conv = fused ? new FusedConv2D(args) : layers.conv2d(args);
  const x = tf.variable(tf.tensor4d(randomValues(2 * 7 * 6 * 3, 41), [2, 7, 6, 3]));
  tf.dispose(conv.apply(x) as tf.Tensor); // builds the weights
  conv.setWeights(conv.getWeights().map((w, i) => tf.tensor(randomValues(w.size, 42 + i), w.shape)));
  const out = conv.apply(x) as tf.Tensor;
  const w = tf.tensor(randomValues(out.size, 49), out.shape);
  const vars = [x, ...conv.trainableWeights.map((v) => v.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.apply(x) as tf.Tensor, w)), vars);
  const result = [out, value, ...vars.map((v) => must(grads[v.name], 'variableGrads gives every variable a gradient'))];
  conv.dispose();
  return result;
}

const cases: Args[] = [
  { filters: 4, kernelSize: 3, activation: 'relu' },
  { filters: 5, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'relu' },
  { filters: 4, kernelSize: 3, activation: 'relu', useBias: false },
  { filters: 4, kernelSize: 3 },
  // Not fused (tanh): tfjs-layers' own call, the same values.
  { filters: 4, kernelSize: 3, activation: 'tanh' },
];

describe('fused Conv2D (wasm) against tfjs-layers Conv2D (cpu)', () => {
  it.each(cases)('values and gradients: %j', async (args) => {
    const expected = await computeOn('cpu', () => valuesAndGradients(args, false));
    const actual = await computeOn('wasm', () => valuesAndGradients(args, true));
    expectSameResults(actual, expected, 1e-4);
  });

  it('takes the fused kernel on wasm for relu and linear, tfjs-layers\' call elsewhere', async () => {
    const kernelsOn = async (backend: string, args: Args) => {
      await tf.setBackend(backend);
      const conv = new FusedConv2D(args);
      const x = tf.ones([1, 5, 5, 2]);
      tf.dispose(conv.apply(x) as tf.Tensor); // builds the weights
      const profile = await tf.profile(() => tf.variableGrads(() => tf.sum(conv.apply(x) as tf.Tensor) as tf.Scalar).value);
      x.dispose();
      conv.dispose();
      return profile.kernelNames;
    };
    expect(await kernelsOn('wasm', { filters: 3, kernelSize: 3, activation: 'relu' })).toContain(KILN_CONV_BIAS_ACTIVATION);
    expect(await kernelsOn('wasm', { filters: 3, kernelSize: 3, activation: 'sigmoid' })).not.toContain(KILN_CONV_BIAS_ACTIVATION);
    expect(await kernelsOn('cpu', { filters: 3, kernelSize: 3, activation: 'relu' })).not.toContain(KILN_CONV_BIAS_ACTIVATION);
  });

  it('keeps no tensors from a training step (the patch matrix kept for dW, the saved output, the activation gradient)', async () => {
    await tf.setBackend('wasm');
    const conv = new FusedConv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 4] });
    const x = tf.tensor4d(randomValues(2 * 8 * 8 * 4, 61), [2, 8, 8, 4]);
    tf.dispose(conv.apply(x) as tf.Tensor);
    const optimizer = tf.train.sgd(0.1);
    const step = () => tf.dispose(optimizer.minimize(() => tf.sum(conv.apply(x) as tf.Tensor) as tf.Scalar, true) ?? []);
    step();
    const buffers = () => tf.engine().backend.numDataIds();
    const [tensors, heapBuffers] = [tf.memory().numTensors, buffers()];
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    // Buffers on the wasm heap outside any tensor too (the kept patch matrix is one, replaced each step).
    expect(buffers()).toBe(heapBuffers);
    tf.dispose(x);
    conv.dispose();
    optimizer.dispose();
  });

  it('is what Kiln builds for conv2d, saves as a plain tfjs Conv2D and loads back predicting identically', async () => {
    await tf.setBackend('wasm');
    const data = syntheticData('image', 4);
    const model = buildModel({ layers: [layer({ type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu' }), layer({ type: 'flatten' }), layer({ type: 'dense', units: 2 })] }, data, 3);
    expect(model.layers.some((l) => l instanceof FusedConv2D)).toBe(true);
    const shape = [2, ...data.inputShape];
    const x = tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), 7), shape);
    const before = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const dir = await mkdtemp(join(tmpdir(), 'kiln-fused-conv-'));
    try {
      await saveModel(model, dir);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string }[] } } };
      expect(json.modelTopology.config.layers.map((l) => l.class_name)).toContain('Conv2D');
      const loaded = await loadModel(dir);
      expect(loaded.layers.some((l) => l instanceof FusedConv2D)).toBe(true);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(before);
      await tf.setBackend('cpu');
      const cpuModel = await loadModel(dir);
      const cpuX = tf.tensor(x.dataSync(), x.shape);
      expectSameResults([{ shape: [before.length], values: Array.from((cpuModel.predict(cpuX) as tf.Tensor).dataSync()) }], [{ shape: [before.length], values: before }], 1e-5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
