import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSSES, OPTIMIZERS_FOR_TEST } from './test-cases.ts';
import { LOSS_FNS } from './losses.ts';
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
