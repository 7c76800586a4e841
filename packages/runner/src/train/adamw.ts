/**
 * AdamW (Loshchilov & Hutter, PyTorch's AdamW) for backends other than wasm, where the fused kernel
 * does the same: each step scales the weights by 1 - lr * weightDecay, then takes tfjs' Adam step.
 * tfjs-core 4.22 has no AdamW; this is its Adam with the decay first, so moments and bias correction are tfjs' own.
 */
import * as tf from '@tensorflow/tfjs-core';

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class AdamW extends tf.AdamOptimizer {
  static override get className(): string {
    return 'KilnAdamW';
  }

  constructor(
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    private readonly weightDecay: number,
  ) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: Gradients): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
    const decay = 1 - this.learningRate * this.weightDecay;
    if (decay !== 1) {
      tf.tidy(() => {
        for (const name of names) {
          const value = tf.engine().registeredVariables[name];
          if (value) value.assign(tf.mul(value, decay));
        }
      });
    }
    super.applyGradients(variableGradients);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
