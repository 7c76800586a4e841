/**
 * The baseline: the same architecture trained by a minimal hand-written tfjs loop (tf.sequential,
 * optimizer.minimize, logits + the tfjs-core softmax/sigmoid cross-entropy), on the same prepared
 * data and backend (with Kiln's wasm kernels and its LSTM and Conv2D layer classes), so Kiln / plain is the
 * framework's own cost.
 */
import { must } from '@kiln/core/errors';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential, type Sequential } from '@tensorflow/tfjs-layers';
import type { PreparedData } from '../data/types.ts';
import { FusedConv2D } from '../model/fused-conv2d.ts';
import { FusedLSTM } from '../model/fused-lstm.ts';
import { permutation } from '../train/batches.ts';
import { mulberry32 } from '../random/rng.ts';
import { makeOptimizer } from '../train/optimizers.ts';

/** Name of the performance measure recorded after each plain epoch's training steps. */
export const PLAIN_EPOCH_MEASURE = 'kiln.bench.plain-epoch';

type Arch = (data: PreparedData) => Sequential;

const ARCHS: Record<string, Arch> = {
  mlp: (d) =>
    sequential({
      layers: [
        layers.flatten({ inputShape: d.inputShape }),
        layers.dense({ units: 256, activation: 'relu' }),
        layers.dense({ units: 128, activation: 'relu' }),
        layers.dense({ units: 10 }),
      ],
    }),
  cnn: (d) =>
    sequential({
      layers: [
        // Kiln's Conv2D class (bias and ReLU fused on wasm), as the LSTM below: Kiln / plain measures the framework, not the layer.
        new FusedConv2D({ inputShape: d.inputShape, filters: 16, kernelSize: 3, activation: 'relu' }),
        layers.maxPooling2d({ poolSize: 2 }),
        new FusedConv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 10 }),
      ],
    }),
  lstm: (d) =>
    sequential({
      layers: [
        layers.embedding({ inputShape: d.inputShape, inputDim: 10000, outputDim: 64 }),
        // Kiln's LSTM layer class (the fused kernel on wasm) with spam-lstm.yaml's sigmoid gates, so Kiln / plain measures the framework, not the layer.
        new FusedLSTM({ units: 64, unitForgetBias: true, recurrentActivation: 'sigmoid' }),
        layers.dense({ units: 1 }),
      ],
    }),
};

/** Trains `task`'s architecture for `epochs` (batch 64, Adam 1e-3); per-epoch wall and CPU seconds (this process, all threads) and test accuracy. */
export function trainPlain(task: string, data: PreparedData, epochs: number): { epochSeconds: number[]; epochCpuSeconds: number[]; testAccuracy: number } {
  const arch = ARCHS[task];
  if (arch === undefined) throw new Error(`no plain architecture for task ${task} (have ${Object.keys(ARCHS).join(', ')})`);
  const model = arch(data);
  const binary = data.target.type === 'binary';
  // The optimizer Kiln builds for the same spec (fused on wasm), so Kiln / plain compares the loops, not the kernels.
  const optimizer = makeOptimizer({ name: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  const { n, x, y } = data.train;
  const row = x.length / n;
  const xs = data.inputDtype === 'int32' ? new Int32Array(x.length) : new Float32Array(x.length);
  const ys = new Float32Array(n);
  const random = mulberry32(42);
  const epochSeconds: number[] = [];
  const epochCpuSeconds: number[] = [];
  const batchSize = 64;
  for (let e = 0; e < epochs; e++) {
    const order = permutation(n, random);
    order.forEach((o, i) => {
      xs.set(x.subarray(o * row, (o + 1) * row), i * row);
      ys[i] = must(y[o], 'the order is a permutation of the rows');
    });
    // Timed from here, as Kiln's epoch measure starts after its shuffled copy: the training steps only.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let last: tf.Scalar | null = null;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const loss = tf.tidy((): tf.Scalar => {
        const xb = tf.tensor(xs.subarray(start * row, end * row), [end - start, ...data.inputShape], data.inputDtype);
        const yb = ys.subarray(start, end);
        const step = optimizer.minimize(() => {
          const logits = model.apply(xb, { training: true }) as tf.Tensor2D;
          return binary
            ? tf.losses.sigmoidCrossEntropy(tf.tensor2d(yb, [end - start, 1]), logits)
            : tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(yb, 'int32'), 10), logits);
        }, true);
        if (step === null) throw new Error('minimize returns the loss when asked to');
        return step;
      });
      last?.dispose();
      last = loss;
    }
    last?.dataSync();
    last?.dispose();
    epochSeconds.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    epochCpuSeconds.push((cpu.user + cpu.system) / 1e6);
    performance.measure(PLAIN_EPOCH_MEASURE, { start: t0, detail: { epoch: e + 1 } });
  }
  const testAccuracy = accuracy(model, data, binary);
  model.dispose();
  optimizer.dispose();
  return { epochSeconds, epochCpuSeconds, testAccuracy };
}

function accuracy(model: Sequential, data: PreparedData, binary: boolean): number {
  const { n, x, y } = data.test;
  const row = x.length / n;
  let right = 0;
  for (let start = 0; start < n; start += 512) {
    const end = Math.min(n, start + 512);
    const out = tf.tidy(() => model.apply(tf.tensor(x.subarray(start * row, end * row), [end - start, ...data.inputShape], data.inputDtype), { training: false }) as tf.Tensor2D);
    const v = out.dataSync();
    const w = out.shape[1];
    out.dispose();
    for (let i = 0; i < end - start; i++) {
      let cls = 0;
      if (binary) cls = (v[i] ?? Number.NaN) >= 0 ? 1 : 0;
      else for (let k = 1; k < w; k++) if ((v[i * w + k] ?? Number.NaN) > (v[i * w + cls] ?? Number.NaN)) cls = k;
      if (cls === y[start + i]) right++;
    }
  }
  return right / n;
}
