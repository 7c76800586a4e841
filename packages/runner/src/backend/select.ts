import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's node bundle registers no gradients; the tfjs-layers node bundle registers them all
// on import, and every backend selected here is meant for training.
import '@tensorflow/tfjs-layers';
import { kilnError, KilnFailure, type KilnError } from '@kiln/core';
import { registerChainedOps } from './chained-ops.ts';
import { loadNative } from './load-native.ts';
import { loadWasm } from './load-wasm.ts';
import { nativeAddonPresent } from './native-addon.ts';
import { setupBlas, type BlasUse } from './blas/setup.ts';

// tfjs-layers (LSTM/GRU init, among others) calls chained ops that tfjs-core's node bundle omits.
registerChainedOps();

export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/** The backend actually in use: its Kiln name, the tfjs version, and the threads it computes with. */
export interface SelectedBackend {
  name: ConcreteBackend;
  version: string;
  threads: number;
  /** wasm only: what computes its matrix products (runtime.blas), with the library's threads. */
  blas?: BlasUse;
}

export type SelectResult = { ok: true; backend: SelectedBackend } | { ok: false; error: KilnError };

/** Each loader activates its backend and returns the thread count used, or null if unavailable. */
const loaders: Record<ConcreteBackend, (threads?: number) => Promise<number | null>> = {
  'tensorflow-gpu': () => loadNativeIfBuilt('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => loadNativeIfBuilt('@tensorflow/tfjs-node'),
  wasm: loadWasm,
  // The pure-JS backend runs on the main thread only.
  cpu: async () => ((await tf.setBackend('cpu')) ? 1 : null),
};

/** A libtensorflow package, only when its install left its addon (else null at once, without a failing import). */
async function loadNativeIfBuilt(pkg: string): Promise<number | null> {
  return nativeAddonPresent(pkg) ? loadNative(pkg) : null;
}

/** Fastest first: what `auto` tries, in order. */
const autoOrder: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const hints: Record<ConcreteBackend, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu works only where its install script downloaded libtensorflow, with CUDA 11.2 and cuDNN 8.1 (see "GPU" in the README), or use backend: auto',
  tensorflow: '@tensorflow/tfjs-node works only where its install script downloaded libtensorflow (see "GPU" in the README), or use backend: auto',
  wasm: 'check that @tensorflow/tfjs-backend-wasm is installed with its dist/*.wasm files, or use backend: cpu',
  cpu: 'reinstall @tensorflow/tfjs-backend-cpu',
};

/** What selection takes from `runtime`: the thread count and, for wasm, the BLAS (auto | off | a library path; default auto). */
export interface SelectOptions {
  threads?: number;
  blas?: string;
}

/** The selection options a spec's `runtime` section asks for (threads: auto leaves the library's default). */
export function runtimeOptions(runtime: { threads: number | 'auto'; blas?: string }): SelectOptions {
  return { ...(runtime.threads === 'auto' ? {} : { threads: runtime.threads }), ...(runtime.blas === undefined ? {} : { blas: runtime.blas }) };
}

/** Activates the requested backend (or the fastest that loads, for `auto`); errors as values. */
export async function trySelectBackend(name: BackendChoice, opts: SelectOptions = {}): Promise<SelectResult> {
  const candidates = name === 'auto' ? autoOrder : [name];
  for (const candidate of candidates) {
    const threads = await loaders[candidate](opts.threads);
    if (threads === null) continue;
    if (candidate !== 'wasm') return { ok: true, backend: { name: candidate, version: tf.version_core, threads } };
    // The products then run in the BLAS's threads (XNNPACK's are 1 in Node).
    const blas = await setupBlas(opts.blas ?? 'auto', opts.threads);
    if (!blas.ok) return blas;
    return { ok: true, backend: { name: candidate, version: tf.version_core, threads: blas.use.threads ?? threads, blas: blas.use } };
  }
  const message = `backend '${name}' is not available on this machine`;
  return { ok: false, error: kilnError('backend/unavailable', 'runtime.backend', message, hints[name === 'auto' ? 'cpu' : name]) };
}

/** Like trySelectBackend, but throws a KilnFailure (carrying backend/unavailable) when it cannot. */
export async function selectBackend(name: BackendChoice, opts: SelectOptions = {}): Promise<SelectedBackend> {
  const result = await trySelectBackend(name, opts);
  if (!result.ok) throw new KilnFailure(result.error);
  return result.backend;
}
