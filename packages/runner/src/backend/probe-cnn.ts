import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The MNIST-sized CNN the backend probe and tests train: conv16 → pool → conv32 → pool → dense10. */
export function buildProbeCnn(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/** Random 28x28 images with random one-hot labels; learnable only by memorising, which is enough here. */
export function randomImages(count: number, seed = 1): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const xs = tf.randomUniform([count, 28, 28, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
    const labels = tf.randomUniform([count], 0, 10, 'int32', seed + 1) as tf.Tensor1D;
    return { xs, ys: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D };
  });
}
