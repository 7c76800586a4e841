/**
 * Training steps on logits: an output layer whose last step is the softmax (or sigmoid) its head's
 * cross-entropy fuses with runs without it inside a step, and the loss applies it (logit-losses.ts).
 * The activation is switched off only for the synchronous span of a step's forward pass, so the model
 * everyone else sees (validation, checkpoints, the saved model, predict) outputs probabilities.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fusesWith, type OutputActivation } from './logit-losses.ts';
import type { HeadLoss } from './losses.ts';

/** Layer classes whose activation is the last thing their call does (a recurrent layer's is inside its cell). */
const ACTIVATION_LAST = new Set(['Dense', 'Activation']);

/** Stands in for the activation during a step: Dense sees 'linear' and fuses its bias into the product, as with no activation. */
const IDENTITY = { getClassName: () => 'linear', apply: (x: tf.Tensor) => x };

type OutputLayer = LayersModel['outputLayers'][number];

/** The activation `layer` ends with, when it is one a loss can take over and the layer is only used as this output. */
function endingActivation(layer: OutputLayer): OutputActivation | undefined {
  if (!ACTIVATION_LAST.has(layer.getClassName()) || layer.inboundNodes.length !== 1 || layer.outboundNodes.length !== 0) return undefined;
  const activation: unknown = Reflect.get(layer, 'activation');
  if (typeof activation !== 'object' || activation === null || !('getClassName' in activation) || typeof activation.getClassName !== 'function') return undefined;
  const name: unknown = activation.getClassName();
  return name === 'softmax' || name === 'sigmoid' ? name : undefined;
}

/** Switches the fusable output activations off around a training step's forward pass. */
export class LogitOutputs {
  /** Per head, the activation its loss applies (its output is then logits), or undefined. */
  readonly activations: (OutputActivation | undefined)[];
  private readonly layers: { layer: OutputLayer; activation: unknown }[];

  /** `heads` in model-output order; none leaves every output as it is. */
  constructor(model: LayersModel, heads: readonly HeadLoss[]) {
    const outputs = model.outputLayers;
    const shared = outputs.length !== heads.length || new Set(outputs).size !== outputs.length;
    this.activations = heads.map((head, k) => {
      const layer = outputs[k];
      if (shared || layer === undefined) return undefined;
      const activation = endingActivation(layer);
      return fusesWith(head, activation) ? activation : undefined;
    });
    this.layers = outputs.flatMap((layer, k) => (this.activations[k] ? [{ layer, activation: Reflect.get(layer, 'activation') }] : []));
  }

  /** Runs `forward` with the fused activations off: the heads in `activations` give logits. */
  run<T>(forward: () => T): T {
    if (this.layers.length === 0) return forward();
    for (const { layer } of this.layers) Reflect.set(layer, 'activation', IDENTITY);
    try {
      return forward();
    } finally {
      for (const { layer, activation } of this.layers) Reflect.set(layer, 'activation', activation);
    }
  }
}

/** What a head's kept training outputs become for its metrics: probabilities from logits when its loss took the activation over. */
export function asProbabilities(out: tf.Tensor, activation: OutputActivation | undefined): tf.Tensor {
  if (activation === 'softmax') return tf.softmax(out);
  if (activation === 'sigmoid') return tf.sigmoid(out);
  return out;
}
