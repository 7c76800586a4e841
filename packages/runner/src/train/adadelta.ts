/**
 * Adadelta as Zeiler (2012) and Keras define it. tfjs-core 4.22's AdadeltaOptimizer scales the
 * step by the accumulated squared gradient from *before* the current gradient is added, so its
 * first step is the raw gradient times the learning rate (1.0 by default) and training diverges.
 */
import * as tf from '@tensorflow/tfjs-core';

type NamedTensor = { name: string; tensor: tf.Tensor };

export class Adadelta extends tf.Optimizer {
  static get className(): string {
    return 'KilnAdadelta';
  }
  private readonly slots = new Map<string, { grad: tf.Variable; update: tf.Variable }>();

  constructor(
    public learningRate: number,
    private readonly rho: number,
    private readonly epsilon: number,
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
    for (const [name, gradient] of entries) {
      const value = tf.engine().registeredVariables[name];
      if (!value || gradient == null) continue;
      let slot = this.slots.get(name);
      if (!slot) {
        slot = tf.tidy(() => ({ grad: tf.zerosLike(value).variable(false), update: tf.zerosLike(value).variable(false) }));
        this.slots.set(name, slot);
      }
      const { grad, update } = slot;
      tf.tidy(() => {
        const newGrad = tf.add(tf.mul(grad, this.rho), tf.mul(tf.square(gradient), 1 - this.rho));
        const step = tf.mul(tf.div(tf.sqrt(tf.add(update, this.epsilon)), tf.sqrt(tf.add(newGrad, this.epsilon))), gradient);
        update.assign(tf.add(tf.mul(update, this.rho), tf.mul(tf.square(step), 1 - this.rho)));
        grad.assign(newGrad);
        value.assign(tf.sub(value, tf.mul(step, this.learningRate)));
      });
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { grad, update } of this.slots.values()) tf.dispose([grad, update]);
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations()];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.extractIterations(weightValues);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}
