/** Kiln's SIMD kernels instantiated over tfjs-backend-wasm's own memory, so they read and write tensors in place. */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { wasmMemory } from '../fused-optimizers/heap.ts';
import { writeRawModule } from '../fused-optimizers/wasm-writer.ts';
import { biasReluFunction, reluBiasGradFunction, reluFunction } from './conv-epilogue.ts';
import { maxPoolGrad2x2Function, maxPoolGradFunction } from './max-pool-grad.ts';
import { col2imAddFunction, im2colFunction, im2colTFunction } from './patches.ts';
import { reluGradFunction } from './relu-grad.ts';
import { addRowVectorFunction, columnSumsFunction } from './rows.ts';

/** The exported kernels; every argument is an i32 (byte offsets on the heap, sizes). */
export interface SimdKernels {
  maxPoolGrad(...args: number[]): void;
  maxPoolGrad2x2(x: number, dy: number, dx: number, batch: number, inH: number, inW: number, channels: number, outH: number, outW: number): void;
  columnSums(x: number, out: number, rows: number, cols: number): void;
  addRowVector(x: number, bias: number, out: number, rows: number, cols: number): void;
  /** Arguments in PATCH_PARAMS order (patches.ts). */
  im2col(...args: number[]): void;
  im2colT(...args: number[]): void;
  col2imAdd(...args: number[]): void;
  reluGrad(dy: number, x: number, out: number, n: number): void;
  biasRelu(x: number, bias: number, out: number, rows: number, cols: number): void;
  relu(x: number, out: number, n: number): void;
  reluBiasGrad(dy: number, y: number, dx: number, dBias: number, rows: number, cols: number): void;
}

let bytes: Uint8Array<ArrayBuffer> | null = null;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** The module's bytes, written once per process (a few hundred bytes). */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  bytes ??= writeRawModule([maxPoolGradFunction(), columnSumsFunction(), addRowVectorFunction(), im2colFunction(), im2colTFunction(), col2imAddFunction(), reluGradFunction(), biasReluFunction(), reluFunction(), reluBiasGradFunction(), maxPoolGrad2x2Function()]);
  return bytes;
}

/** The kernels over `backend`'s heap (one instance per memory: a re-initialised backend gets its own), or null where the heap cannot be shared. */
export function simdKernels(backend: BackendWasm): SimdKernels | null {
  const memory = wasmMemory(backend);
  if (memory === null) return null;
  const cached = instances.get(memory);
  if (cached) return cached;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes()), { env: { memory } });
  const kernels = instance.exports as unknown as SimdKernels;
  instances.set(memory, kernels);
  return kernels;
}

/** A tensor's byte offset on the heap. */
export function offsetOf(backend: BackendWasm, dataId: object): number {
  const data = backend.dataIdMap.get(dataId);
  if (data?.memoryOffset == null) throw new Error('tensor has no data on the wasm heap');
  return data.memoryOffset;
}
