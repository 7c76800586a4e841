import * as tf from '@tensorflow/tfjs-core';
import { KilnFailure } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { nativeAddonPresent } from './native-addon.ts';
import { selectBackend, trySelectBackend } from './select.ts';

/** Whether an optional native package is usable here (it normally is not: its install downloads libtensorflow). */
const installed = nativeAddonPresent;

describe('selectBackend', () => {
  it('activates cpu on request and reports tfjs version and one thread', async () => {
    const chosen = await selectBackend('cpu');
    expect(chosen).toEqual({ name: 'cpu', version: tf.version_core, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('activates wasm with the gradient kernels it lacks', async () => {
    const chosen = await selectBackend('wasm', { threads: 1 });
    expect(chosen.name).toBe('wasm');
    expect(chosen.version).toBe('4.22.0');
    expect(chosen.threads).toBe(1);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('makes auto pick the fastest backend that loads', async () => {
    const chosen = await selectBackend('auto');
    const expected = installed('@tensorflow/tfjs-node-gpu')
      ? 'tensorflow-gpu'
      : installed('@tensorflow/tfjs-node')
        ? 'tensorflow'
        : 'wasm';
    expect(chosen.name).toBe(expected);
  });

  it('returns backend/unavailable with a hint for a native backend that is not installed', async () => {
    const native = installed('@tensorflow/tfjs-node');
    const result = await trySelectBackend('tensorflow');
    expect(result.ok).toBe(native);
    if (!result.ok) {
      expect(result.error.code).toBe('backend/unavailable');
      expect(result.error.message).toContain("'tensorflow'");
      expect(result.error.hint).toContain('@tensorflow/tfjs-node');
      await expect(selectBackend('tensorflow')).rejects.toBeInstanceOf(KilnFailure);
    }
  });

  it('skips a native package whose addon its install could not download, without importing it', async () => {
    // pnpm keeps a failed optional package linked; importing it would load all of @tensorflow/tfjs (seconds) before failing.
    if (installed('@tensorflow/tfjs-node')) return;
    const start = performance.now();
    const result = await trySelectBackend('tensorflow');
    expect(result.ok).toBe(false);
    expect(performance.now() - start).toBeLessThan(200);
    expect(tf.findBackendFactory('tensorflow')).toBeNull();
  });

  it('falls back silently past missing native packages', async () => {
    const result = await trySelectBackend('tensorflow-gpu');
    expect(result.ok).toBe(installed('@tensorflow/tfjs-node-gpu'));
    if (!result.ok) expect(result.error.hint).toContain('tfjs-node-gpu');
  });
});
