/**
 * Fine-tuning's second phase (model.from.unfreeze): the layers frozen at the start become trainable
 * at a given epoch and from then on are updated by an optimizer of their own, with their own
 * learning rate, while the new layers keep the main optimizer and its state.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { OptimizerSpec } from '@kiln/core';
import { makeOptimizer, setLearningRate } from './optimizers.ts';

export interface UnfreezeSpec {
  /** 1-based epoch from whose start the frozen layers train. */
  epoch: number;
  learningRate?: number;
}

/** Holds the frozen layers until their epoch, then their variables and optimizer. */
export class Unfreezer {
  private readonly frozen: LayersModel['layers'];
  /** The group's base learning rate, before the schedule's factor. */
  private readonly baseRate: number;
  private group: { vars: tf.Variable[]; names: Set<string>; optimizer: tf.Optimizer } | null = null;

  constructor(
    model: LayersModel,
    private readonly spec: UnfreezeSpec,
    private readonly optimizerSpec: OptimizerSpec,
  ) {
    // Taken now: these are exactly the layers transfer learning froze (Kiln freezes nothing else).
    this.frozen = model.layers.filter((l) => !l.trainable && l.weights.length > 0);
    this.baseRate = spec.learningRate ?? optimizerSpec.learningRate;
  }

  /** The layer names that will unfreeze. */
  get layerNames(): string[] {
    return this.frozen.map((l) => l.name);
  }

  /**
   * Called at the start of every epoch with the main schedule's factor (its rate / the base rate):
   * unfreezes at the spec's epoch, sets the group's rate, and returns the group's variables.
   */
  begin(epoch: number, scheduleFactor: number): tf.Variable[] {
    if (!this.group && epoch >= this.spec.epoch && this.frozen.length > 0) {
      for (const layer of this.frozen) layer.trainable = true;
      const vars = this.frozen.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
      this.group = { vars, names: new Set(vars.map((v) => v.name)), optimizer: makeOptimizer({ ...this.optimizerSpec, learningRate: this.baseRate }) };
    }
    if (!this.group) return [];
    setLearningRate(this.group.optimizer, this.baseRate * scheduleFactor);
    return this.group.vars;
  }

  /** Applies the unfrozen layers' gradients with their optimizer; returns the others for the main one. */
  apply(grads: tf.NamedTensorMap): tf.NamedTensorMap {
    if (!this.group) return grads;
    const mine: tf.NamedTensorMap = {};
    const rest: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) (this.group.names.has(name) ? mine : rest)[name] = g;
    this.group.optimizer.applyGradients(mine);
    return rest;
  }

  dispose(): void {
    this.group?.optimizer.dispose();
  }
}
