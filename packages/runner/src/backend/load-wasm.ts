import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './wasm-kernels/index.ts';

/** Directory (with trailing separator) holding the installed tfjs-backend-wasm .wasm binaries. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

/**
 * Activates the wasm backend with SIMD and the gradient kernels it lacks; returns the XNNPACK
 * thread count it really got (threads apply only at first init; Node builds are single-threaded).
 */
export async function loadWasm(threads?: number): Promise<number | null> {
  setWasmPaths(wasmBinaryDir());
  // The SIMD binary is picked when WASM_HAS_SIMD_SUPPORT detects it (true on Node 20); forcing
  // the flag on a runtime without SIMD would only break init, so detection is left to decide.
  if (threads !== undefined) setThreadsCount(threads);
  registerWasmKernels();
  const ok = await tf.setBackend('wasm').catch(() => false);
  if (!ok) return null;
  await tf.ready();
  return getThreadsCount();
}
