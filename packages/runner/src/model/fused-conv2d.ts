/**
 * The 2-D convolution layer Kiln builds: tfjs-layers' Conv2D, except that on the wasm backend a ReLU (or linear)
 * convolution runs as one kernel with its bias and activation, and one fused gradient
 * (backend/wasm-kernels/conv-bias-activation.ts), where tfjs splits it into Conv2D, Add and Relu whenever gradients
 * are recorded. It serializes as a plain 'Conv2D' (same config, same weights), so saved and exported models load in
 * any tfjs; registering it under that name makes Kiln's own loads use the fused path too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { Conv2D } from '@tensorflow/tfjs-layers/dist/layers/convolutional.js';
import type { ConvLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/convolutional.js';
// tfjs-layers registers its layer classes on import; the class is taken from the registry, as fused-lstm.ts does.
import '@tensorflow/tfjs-layers';
import { convBiasActivation, convBiasActivationFits, type ConvActivation } from '../backend/wasm-kernels/conv-bias-activation.ts';

type Conv2DClass = new (args: ConvLayerArgs) => Conv2D;
const registry = serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, [Conv2DClass, unknown] | undefined>;
const entry = registry.Conv2D;
if (entry === undefined) throw new Error('tfjs-layers registered no Conv2D class');
const BaseConv2D: Conv2DClass = entry[0];

/** tfjs-layers' activation class names this layer fuses, with the kernel's name for them. */
const FUSED: Record<string, ConvActivation> = { relu: 'relu', linear: 'linear' };

/** tfjs-layers' Conv2D with a fused bias + ReLU kernel on wasm (same maths, same weights, same config). */
export class FusedConv2D extends BaseConv2D {
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? (inputs.length === 1 ? (inputs[0] ?? null) : null) : inputs;
    const activation = FUSED[this.activation.getClassName()];
    const [sh, sw] = this.strides;
    const fits =
      x !== null &&
      activation !== undefined &&
      this.dataFormat === 'channelsLast' &&
      (this.padding === 'valid' || this.padding === 'same') &&
      sh !== undefined &&
      sw !== undefined &&
      this.dilationRate.every((d) => d === 1) &&
      convBiasActivationFits(x);
    if (!fits) return super.call(inputs, kwargs);
    const padding = this.padding === 'same' ? 'same' : 'valid';
    return tf.tidy(() => convBiasActivation(x, this.kernel.read(), this.useBias ? this.bias.read() : null, [sh, sw], padding, activation));
  }
}

serialization.registerClass(FusedConv2D as unknown as serialization.SerializableConstructor<serialization.Serializable>);
