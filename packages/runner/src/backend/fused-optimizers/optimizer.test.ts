import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adadelta } from '../../train/adadelta.ts';
import { AdamW } from '../../train/adamw.ts';
import { randomValues, setupBackends } from '../wasm-kernels/test-support.ts';
import { adadeltaRule, adagradRule, adamaxRule, adamRule, fusedOptimizer, rmspropRule, sgdRule, type FusedRule } from './index.ts';

beforeAll(async () => {
  await setupBackends();
  await tf.setBackend('wasm');
});
afterAll(() => tf.setBackend('cpu'));

/** 21 elements: five f32x4 lanes and a scalar tail; 64: lanes only; 3: tail only. */
const SHAPES = [[7, 3], [64], [3]];
const STEPS = 6;
/** The learning rate per step: changed after the third, as a schedule or an unfreeze does between epochs. */
const rateAt = (base: number, step: number) => (step < 3 ? base : base * 0.3);

interface Case {
  name: string;
  lr: number;
  rule: () => FusedRule;
  reference: (lr: number) => tf.Optimizer;
}

const CASES: Case[] = [
  { name: 'adam', lr: 0.01, rule: () => adamRule({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), reference: (lr) => tf.train.adam(lr, 0.9, 0.999, 1e-7) },
  { name: 'adam (other betas, epsilon)', lr: 0.05, rule: () => adamRule({ beta1: 0.5, beta2: 0.9, epsilon: 1e-3 }), reference: (lr) => tf.train.adam(lr, 0.5, 0.9, 1e-3) },
  { name: 'adamw (against the tfjs-ops AdamW)', lr: 0.01, rule: () => adamRule({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.1 }), reference: (lr) => new AdamW(lr, 0.9, 0.999, 1e-7, 0.1) },
  { name: 'sgd', lr: 0.1, rule: () => sgdRule({ momentum: 0, nesterov: false }), reference: (lr) => tf.train.sgd(lr) },
  { name: 'sgd momentum', lr: 0.1, rule: () => sgdRule({ momentum: 0.9, nesterov: false }), reference: (lr) => tf.train.momentum(lr, 0.9, false) },
  { name: 'sgd nesterov', lr: 0.1, rule: () => sgdRule({ momentum: 0.8, nesterov: true }), reference: (lr) => tf.train.momentum(lr, 0.8, true) },
  { name: 'rmsprop', lr: 0.01, rule: () => rmspropRule({ rho: 0.9, momentum: 0, epsilon: 1e-7 }), reference: (lr) => tf.train.rmsprop(lr, 0.9, 0, 1e-7) },
  { name: 'rmsprop momentum', lr: 0.01, rule: () => rmspropRule({ rho: 0.8, momentum: 0.5, epsilon: 1e-6 }), reference: (lr) => tf.train.rmsprop(lr, 0.8, 0.5, 1e-6) },
  { name: 'adagrad', lr: 0.1, rule: () => adagradRule({ initialAccumulatorValue: 0.1, epsilon: 1e-7 }), reference: (lr) => tf.train.adagrad(lr, 0.1) },
  { name: 'adamax', lr: 0.02, rule: () => adamaxRule({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), reference: (lr) => tf.train.adamax(lr, 0.9, 0.999, 1e-7) },
  { name: 'adadelta', lr: 1, rule: () => adadeltaRule({ rho: 0.95, epsilon: 1e-7 }), reference: (lr) => new Adadelta(lr, 0.95, 1e-7) },
];

const variables = (seed: number) => SHAPES.map((shape, i) => tf.variable(tf.tensor(randomValues(shape.reduce((a, b) => a * b), seed + i), shape)));
const gradients = (step: number) => SHAPES.map((shape, i) => tf.tensor(randomValues(shape.reduce((a, b) => a * b), 100 + 10 * step + i), shape));

/** Largest |a - b| / max(1, |b|) over every element. */
function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const [x, y] = [a.dataSync(), b.dataSync()];
  let worst = 0;
  y.forEach((v, i) => (worst = Math.max(worst, Math.abs((x[i] ?? Number.NaN) - v) / Math.max(1, Math.abs(v)))));
  return Number.isNaN(worst) ? Number.POSITIVE_INFINITY : worst;
}

describe('fused optimizers on the wasm heap', () => {
  // The fused kernels do tfjs' f32 operations in tfjs' order and XNNPACK's element-wise kernels
  // round each operation as IEEE f32 does, so the results are the same to the bit (measured: every
  // case but Adam's exactly equal); Adam multiplies by its bias corrections' reciprocals, an ulp of
  // the step (~1e-2 here) per step. 2e-7 relative (about two float32 ulps at 1) bounds both.
  it.each(CASES)('$name matches the tfjs optimizer step by step', ({ lr, rule, reference }) => {
    const fusedVars = variables(1);
    const refVars = variables(1);
    const fused = fusedOptimizer(lr, rule());
    const ref = reference(lr);
    expect(fused).not.toBeNull();
    if (!fused) return;
    for (let step = 0; step < STEPS; step++) {
      const grads = gradients(step);
      (fused as tf.Optimizer & { learningRate: number }).learningRate = rateAt(lr, step);
      const sgd = ref as tf.Optimizer & { setLearningRate?: (lr: number) => void; learningRate: number };
      if (sgd.setLearningRate) sgd.setLearningRate(rateAt(lr, step));
      else sgd.learningRate = rateAt(lr, step);
      fused.applyGradients(Object.fromEntries(fusedVars.map((v, i) => [v.name, grads[i] as tf.Tensor])));
      ref.applyGradients(Object.fromEntries(refVars.map((v, i) => [v.name, grads[i] as tf.Tensor])));
      fusedVars.forEach((v, i) => {
        const want = refVars[i] as tf.Variable;
        expect(maxRelDiff(v, want), `step ${step + 1}, shape [${v.shape.join(', ')}]`).toBeLessThanOrEqual(2e-7);
        // The step moved the variable: comparing unchanged values would prove nothing.
        expect(maxRelDiff(v, variables(1)[i] as tf.Variable)).toBeGreaterThan(1e-4);
      });
      tf.dispose(grads);
    }
    expect(fused.iterations).toBe(STEPS);
    tf.dispose([...fusedVars, ...refVars]);
    fused.dispose();
    ref.dispose();
  });

  it('AdamW scales the variable by 1 - lr * weightDecay, then takes the Adam step (double-precision reference)', () => {
    const [lr, wd, b1, b2, eps] = [0.01, 0.1, 0.9, 0.999, 1e-7];
    const [v] = variables(7) as [tf.Variable];
    const p = Array.from(v.dataSync());
    const m = p.map(() => 0);
    const s = p.map(() => 0);
    const fused = fusedOptimizer(lr, adamRule({ beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd }));
    if (!fused) throw new Error('the wasm backend is active, so a fused optimizer is expected');
    for (let t = 1; t <= STEPS; t++) {
      const g = randomValues(v.size, 300 + t);
      fused.applyGradients({ [v.name]: tf.tensor(g, v.shape) });
      p.forEach((_, i) => {
        const gi = g[i] ?? Number.NaN;
        m[i] = b1 * (m[i] ?? 0) + (1 - b1) * gi;
        s[i] = b2 * (s[i] ?? 0) + (1 - b2) * gi * gi;
        const step = ((m[i] ?? 0) / (1 - b1 ** t)) / (Math.sqrt((s[i] ?? 0) / (1 - b2 ** t)) + eps);
        p[i] = (p[i] ?? 0) * (1 - lr * wd) - lr * step;
      });
    }
    // float32 against float64 over six steps: the per-step error is a few ulps of the step (~1e-2), far below 1e-5.
    expect(maxRelDiff(v, tf.tensor(p, v.shape))).toBeLessThan(1e-5);
    // And the decay really acted: plain Adam from the same start ends elsewhere.
    const [plain] = variables(7) as [tf.Variable];
    const adam = fusedOptimizer(lr, adamRule({ beta1: b1, beta2: b2, epsilon: eps }));
    for (let t = 1; t <= STEPS; t++) adam?.applyGradients({ [plain.name]: tf.tensor(randomValues(v.size, 300 + t), v.shape) });
    expect(maxRelDiff(v, plain)).toBeGreaterThan(1e-4);
  });

  it('leaves a clone of a variable (a best-weights snapshot) unchanged: a shared buffer is copied before the update', () => {
    const [v] = variables(11) as [tf.Variable];
    const before = Array.from(v.dataSync());
    const snapshot = v.clone();
    const fused = fusedOptimizer(0.1, sgdRule({ momentum: 0, nesterov: false }));
    fused?.applyGradients({ [v.name]: tf.onesLike(v) });
    expect(Array.from(snapshot.dataSync())).toEqual(before);
    expect(v.dataSync()[0]).toBeCloseTo((before[0] ?? Number.NaN) - 0.1, 6);
  });

  it('trains a dense model as tfjs does: products see the updated weights, not ones XNNPACK cached under the tensor id', () => {
    const x = tf.tensor(randomValues(8 * 5, 21), [8, 5]);
    const y = tf.tensor(randomValues(8 * 3, 22), [8, 3]);
    const train = (optimizer: tf.Optimizer) => {
      const model = sequential({ layers: [layers.dense({ units: 8, activation: 'relu', inputShape: [5], kernelInitializer: 'ones' }), layers.dense({ units: 3, kernelInitializer: 'ones' })] });
      for (let step = 0; step < 5; step++) optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor));
      return model.getWeights().map((w) => w.dataSync());
    };
    // Momentum: its fused update is tfjs' to the bit, so any stale product shows as inequality.
    const fused = fusedOptimizer(0.05, sgdRule({ momentum: 0.9, nesterov: false }));
    if (!fused) throw new Error('the wasm backend is active, so a fused optimizer is expected');
    expect(train(fused)).toEqual(train(tf.train.momentum(0.05, 0.9)));
  });

  it('is not offered off the wasm backend', async () => {
    await tf.setBackend('cpu');
    try {
      expect(fusedOptimizer(0.1, sgdRule({ momentum: 0, nesterov: false }))).toBeNull();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
