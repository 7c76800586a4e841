/** The fused kernels instantiated over tfjs-backend-wasm's own heap, and tensors' places on it. */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { kernelDefs, type FusedKernelName } from './kernels.ts';
import { writeModule } from './wasm-writer.ts';

/** A kernel: array byte offsets, the element count, then the kernel's scalar parameters. */
export type FusedKernel = (...args: number[]) => void;

export type FusedKernels = Record<FusedKernelName, FusedKernel>;

/** One instance per backend memory (a re-initialised backend gets a new one). */
const instances = new WeakMap<WebAssembly.Memory, FusedKernels>();

/** The wasm backend when it is the active one and its heap can be shared with a module of our own; otherwise null. */
export function activeWasmBackend(): BackendWasm | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as BackendWasm;
  return wasmMemory(backend) ? backend : null;
}

/** The backend's WebAssembly.Memory: Emscripten exports it as asm.memory. A shared (threaded) memory would need a shared import; that build is never used in Node. */
export function wasmMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const asm = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  const memory = asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer ? null : memory;
}

/** The fused kernels over `backend`'s heap, compiled on first use (a few hundred bytes, well under a millisecond). */
export function fusedKernels(backend: BackendWasm): FusedKernels {
  const memory = wasmMemory(backend);
  if (!memory) throw new Error('the wasm backend exposes no WebAssembly.Memory to update tensors in place');
  const cached = instances.get(memory);
  if (cached) return cached;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(writeModule(kernelDefs())), { env: { memory } });
  const kernels = instance.exports as unknown as FusedKernels;
  instances.set(memory, kernels);
  return kernels;
}

/** A float32 tensor's byte offset on the heap. */
export function heapOffset(backend: BackendWasm, t: tf.Tensor): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data?.memoryOffset == null) throw new Error(`tensor ${t.id} has no data on the wasm heap`);
  if (t.dtype !== 'float32') throw new Error(`fused optimizers update float32 tensors, not ${t.dtype}`);
  return data.memoryOffset;
}

/**
 * Tells the backend's C++ side that `t`'s values changed. XNNPACK operators (matMul, conv) pack their
 * weights once and cache them under the weight tensor's id, trusting tensors to be immutable; dropping
 * the id's data record runs those caches' disposal callbacks, and registering it again at the same
 * address keeps the tensor valid. Re-packing then costs what tfjs' assign (a new tensor each step) costs.
 */
export function markChanged(backend: BackendWasm, t: tf.Tensor): void {
  const data = backend.dataIdMap.get(t.dataId);
  if (data?.memoryOffset == null) return;
  backend.wasm.tfjs.disposeData(data.id);
  backend.wasm.tfjs.registerTensor(data.id, t.size, data.memoryOffset);
}

/**
 * Makes `v`'s buffer its own before it is written in place: a clone (best-weights snapshots) or an
 * assign shares the buffer, and those must keep the old values, as they do with tfjs' assign.
 */
export function ownBuffer(backend: BackendWasm, v: tf.Variable): void {
  if (backend.refCount(v.dataId) <= 1) return;
  const copy = tf.tidy(() => tf.mul(v, tf.scalar(1)));
  v.assign(copy);
  copy.dispose();
}
