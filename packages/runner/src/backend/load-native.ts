import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Activates the libtensorflow backend registered by `pkg` (@tensorflow/tfjs-node or -gpu);
 * null when the package is missing, fails to load, or registered into another tfjs-core copy.
 */
export async function loadNative(pkg: string): Promise<number | null> {
  try {
    // A variable specifier: the packages are optional and usually absent.
    const specifier: string = pkg;
    await import(specifier);
  } catch {
    return null;
  }
  if (tf.findBackendFactory('tensorflow') === null) return null;
  const ok = await tf.setBackend('tensorflow').catch(() => false);
  // libtensorflow sizes its own intra-op pool to the machine's cores.
  return ok ? os.availableParallelism() : null;
}
