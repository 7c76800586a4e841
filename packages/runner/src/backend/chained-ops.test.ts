import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { registerChainedOps } from './chained-ops.ts';

type Chained = Record<'abs' | 'add' | 'asScalar' | 'concat' | 'flatten' | 'sum' | 'toInt', (...args: unknown[]) => tf.Tensor>;
/** tfjs-core's node typings omit chained ops too, so tests reach them by name. */
const chain = (t: tf.Tensor) => t as unknown as Chained;

describe('registerChainedOps', () => {
  it('restores chained ops so tensor.flatten(), x.add(y) and friends work in Node', async () => {
    await tf.setBackend('cpu');
    registerChainedOps();
    const t = tf.tensor2d([[1, -2], [3, 4]]);
    expect(chain(t).flatten().shape).toEqual([4]);
    expect(Array.from(chain(chain(t).add(t)).abs().dataSync())).toEqual([2, 4, 6, 8]);
    expect(chain(t).toInt().dtype).toBe('int32');
    expect(chain(t).concat(t, 0).shape).toEqual([4, 2]);
    expect(chain(t).sum().arraySync()).toBe(6);
    expect(() => chain(t).asScalar()).toThrow('only 1 element');
  });

  it('keeps methods that already exist', () => {
    registerChainedOps();
    const before = chain(tf.Tensor.prototype).add;
    registerChainedOps();
    expect(chain(tf.Tensor.prototype).add).toBe(before);
  });
});
