import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tfProvenance } from './tf-info.ts';

describe('tfProvenance', () => {
  it('reads the version and backend from a tfjs-core namespace, the @tensorflow/tfjs version object, or nothing', async () => {
    await tf.setBackend('cpu');
    expect(tfProvenance(tf)).toEqual({ tfjsVersion: tf.version_core, tfjsBackend: 'cpu' });
    expect(tfProvenance({ version: { 'tfjs-core': '4.1.0', tfjs: '4.1.0' } })).toEqual({ tfjsVersion: '4.1.0', tfjsBackend: null });
    expect(tfProvenance(undefined)).toEqual({});
  });
});
