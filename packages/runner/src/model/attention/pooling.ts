/**
 * Global average and max pooling over steps that honour a padding mask (tfjs' own ignore masks and
 * refuse them): padded steps do not count, so a padded sequence pools like the same sequence unpadded.
 * Without a mask they are tfjs' globalAveragePooling1d and globalMaxPooling1d.
 */
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { maskedMax, maskedMean } from './ops.ts';
import { paddingOf, type MaskArg } from './padding.ts';

type Shape = (number | null)[];

abstract class MaskedGlobalPooling1D extends layers.Layer {
  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  protected abstract pool(x: tf.Tensor3D, padding?: tf.Tensor2D): tf.Tensor2D;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const padding = paddingOf(kwargs.mask as MaskArg);
    return tf.tidy(() => this.pool(x, padding));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    // [batch, steps, channels] -> [batch, channels]
    const [batch = null, , channels = null] = inputShape as Shape;
    return [batch, channels];
  }

  /** Pooling removes the steps axis, and the mask with it. */
  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor; // tfjs types say Tensor; null means no mask, as in its own layers
  }
}

/** Mean over the real (unpadded) steps: [batch, steps, d] -> [batch, d]. */
export class MaskedGlobalAveragePooling1D extends MaskedGlobalPooling1D {
  static className = 'KilnMaskedGlobalAveragePooling1D';
  protected pool(x: tf.Tensor3D, padding?: tf.Tensor2D): tf.Tensor2D {
    return maskedMean(x, padding);
  }
}

/** Max over the real (unpadded) steps: [batch, steps, d] -> [batch, d]. */
export class MaskedGlobalMaxPooling1D extends MaskedGlobalPooling1D {
  static className = 'KilnMaskedGlobalMaxPooling1D';
  protected pool(x: tf.Tensor3D, padding?: tf.Tensor2D): tf.Tensor2D {
    return maskedMax(x, padding);
  }
}

tf.serialization.registerClass(MaskedGlobalAveragePooling1D);
tf.serialization.registerClass(MaskedGlobalMaxPooling1D);
