/** Keeping a copy of the model's weights (including non-trainable ones such as batch-norm statistics). */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A snapshot slot: `take` replaces the copy, `restore` writes it back, `dispose` frees it. */
export class WeightSnapshot {
  private weights: tf.Tensor[] | null = null;

  constructor(private readonly model: LayersModel) {}

  get taken(): boolean {
    return this.weights !== null;
  }

  /** Copies the current weights (a clone survives later variable assignments). */
  take(): void {
    this.dispose();
    this.weights = tf.tidy(() => this.model.getWeights().map((w) => w.clone()));
    this.weights.forEach((w) => tf.keep(w));
  }

  restore(): void {
    if (this.weights) this.model.setWeights(this.weights);
  }

  dispose(): void {
    if (this.weights) tf.dispose(this.weights);
    this.weights = null;
  }
}
