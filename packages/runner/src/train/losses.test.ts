import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSSES, OPTIMIZERS_FOR_TEST } from './test-cases.ts';
import { headLossFn, LOSS_FNS } from './losses.ts';
import { makeOptimizer } from './optimizers.ts';
import { useWasm } from './test-support.ts';

beforeAll(useWasm);

/** Fits w in pred = f(x * w) on a toy problem for 30 steps and returns the first and last loss. */
function fit(loss: keyof typeof LOSS_FNS, optimizer = makeOptimizer({ name: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })) {
  const c = LOSSES[loss];
  const w = tf.variable(tf.fill([3, c.width], 0.1));
  const x = tf.tensor2d([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1]]);
  const y = c.target();
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const value = optimizer.minimize(() => LOSS_FNS[loss](y, c.head(tf.matMul(x, w))), true, [w])!;
    losses.push(value.dataSync()[0] ?? Number.NaN);
    value.dispose();
  }
  tf.dispose([w, x, y]);
  optimizer.dispose();
  return losses;
}

describe('losses', () => {
  for (const name of Object.keys(LOSS_FNS) as (keyof typeof LOSS_FNS)[]) {
    it(`${name} matches its formula and decreases under training`, () => {
      const c = LOSSES[name];
      const value = tf.tidy(() => LOSS_FNS[name](c.target(), c.fixedPred()).dataSync()[0]);
      expect(value).toBeCloseTo(c.expected, 5);
      const losses = fit(name);
      const [first = Number.NaN] = losses;
      expect(losses).toHaveLength(30);
      expect(losses.at(-1)).toBeLessThan(first * 0.9);
    });
  }
});

describe('optimizers', () => {
  for (const spec of OPTIMIZERS_FOR_TEST) {
    it(`${spec.name}${'momentum' in spec && spec.momentum ? ' with momentum' : ''} decreases the loss`, () => {
      const losses = fit('mse', makeOptimizer(spec));
      const [first = Number.NaN] = losses;
      expect(losses).toHaveLength(30);
      expect(losses.at(-1)).toBeLessThan(first * 0.9);
    });
  }
});

describe('NaN outputs', () => {
  it('give a NaN loss for every loss (the probability clip must not hide them)', () => {
    for (const name of Object.keys(LOSS_FNS) as (keyof typeof LOSS_FNS)[]) {
      const c = LOSSES[name];
      const value = tf.tidy(() => {
        const pred = c.fixedPred();
        const nan = tf.mul(pred, tf.scalar(Number.NaN));
        return LOSS_FNS[name](c.target(), nan).dataSync()[0];
      });
      expect(value, name).toBeNaN();
    }
  });
});

describe('class weights', () => {
  const value = (t: tf.Scalar) => t.dataSync()[0] ?? Number.NaN;

  it('weight each example of a multiclass batch by its class: mean of weight * its cross-entropy', () => {
    // classes 0, 2, 1, 2 with probabilities 0.5, 0.8, 0.6, 0.5 for the true class
    const weights = [2, 0.5, 3];
    const loss = tf.tidy(() => value(headLossFn({ loss: 'sparseCategoricalCrossentropy', classWeights: weights })(LOSSES.sparseCategoricalCrossentropy.target(), LOSSES.sparseCategoricalCrossentropy.fixedPred())));
    expect(loss).toBeCloseTo(-(2 * Math.log(0.5) + 3 * Math.log(0.8) + 0.5 * Math.log(0.6) + 3 * Math.log(0.5)) / 4, 5);
    const plain = tf.tidy(() => value(headLossFn({ loss: 'sparseCategoricalCrossentropy' })(LOSSES.sparseCategoricalCrossentropy.target(), LOSSES.sparseCategoricalCrossentropy.fixedPred())));
    expect(plain).toBeCloseTo(LOSSES.sparseCategoricalCrossentropy.expected, 5);
    expect(loss).not.toBeCloseTo(plain, 2);
  });

  it('weight each example of a binary batch by its 0/1 label', () => {
    const y = tf.tensor2d([[1], [0], [1]]);
    const p = tf.tensor2d([[0.8], [0.4], [0.3]]);
    const loss = tf.tidy(() => value(headLossFn({ loss: 'binaryCrossentropy', classWeights: [0.25, 4] })(y, p)));
    expect(loss).toBeCloseTo(-(4 * Math.log(0.8) + 0.25 * Math.log(0.6) + 4 * Math.log(0.3)) / 3, 5);
    tf.dispose([y, p]);
  });
});

describe('a scaled regression target', () => {
  const scale = { kind: 'standard' as const, mean: 20, std: 3 };
  // errors 0.5, 0, 1, 2.5 in scaled units
  const y = () => LOSSES.mse.target();
  const pred = () => LOSSES.mse.fixedPred();

  it('reports mse times std², mae times std and huber times std² (Huber with delta std in the target units)', () => {
    for (const [loss, factor] of [['mse', 9], ['mae', 3], ['huber', 9]] as const) {
      const reported = tf.tidy(() => headLossFn({ loss, scale })(y(), pred()).dataSync()[0]);
      expect(reported, loss).toBeCloseTo(LOSSES[loss].expected * factor, 4);
    }
    // mse in target units: errors 1.5, 0, 3, 7.5
    expect(tf.tidy(() => headLossFn({ loss: 'mse', scale })(y(), pred()).dataSync()[0])).toBeCloseTo((2.25 + 0 + 9 + 56.25) / 4, 4);
  });

  it('leaves the gradients those of the loss on the scaled target', () => {
    const w = tf.variable(tf.tensor2d([[1.5], [2], [-1], [0.5]]));
    const grad = (fn: ReturnType<typeof headLossFn>) => tf.tidy(() => Array.from(tf.variableGrads(() => fn(y(), w), [w]).grads[w.name]?.dataSync() ?? []));
    const scaled = grad(headLossFn({ loss: 'mse', scale }));
    expect(scaled).toHaveLength(4);
    expect(scaled).toEqual(grad(LOSS_FNS.mse).map((g) => expect.closeTo(g, 6)));
    w.dispose();
  });
});
