import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's node bundle registers no gradients; the tfjs-layers node bundle registers them all
// on import, and every backend selected here is meant for training.
import '@tensorflow/tfjs-layers';
import { kilnError, KilnFailure, type KilnError } from '@kiln/core';
import { registerChainedOps } from './chained-ops.ts';
import { loadNative } from './load-native.ts';
import { loadWasm } from './load-wasm.ts';

// tfjs-layers (LSTM/GRU init, among others) calls chained ops that tfjs-core's node bundle omits.
registerChainedOps();

export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;

/** The backend actually in use: its Kiln name, the tfjs version, and the threads it computes with. */
export interface SelectedBackend {
  name: ConcreteBackend;
  version: string;
  threads: number;
}

export type SelectResult = { ok: true; backend: SelectedBackend } | { ok: false; error: KilnError };

/** Each loader activates its backend and returns the thread count used, or null if unavailable. */
const loaders: Record<ConcreteBackend, (threads?: number) => Promise<number | null>> = {
  'tensorflow-gpu': () => loadNative('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => loadNative('@tensorflow/tfjs-node'),
  wasm: loadWasm,
  // The pure-JS backend runs on the main thread only.
  cpu: async () => ((await tf.setBackend('cpu')) ? 1 : null),
};

/** Fastest first: what `auto` tries, in order. */
const autoOrder: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const hints: Record<ConcreteBackend, string> = {
  'tensorflow-gpu': 'install @tensorflow/tfjs-node-gpu (needs CUDA and a libtensorflow download), or use backend: auto',
  tensorflow: 'install @tensorflow/tfjs-node (downloads libtensorflow at install time), or use backend: auto',
  wasm: 'check that @tensorflow/tfjs-backend-wasm is installed with its dist/*.wasm files, or use backend: cpu',
  cpu: 'reinstall @tensorflow/tfjs-backend-cpu',
};

/** Activates the requested backend (or the fastest that loads, for `auto`); errors as values. */
export async function trySelectBackend(name: BackendChoice, opts: { threads?: number } = {}): Promise<SelectResult> {
  const candidates = name === 'auto' ? autoOrder : [name];
  for (const candidate of candidates) {
    const threads = await loaders[candidate](opts.threads);
    if (threads !== null) return { ok: true, backend: { name: candidate, version: tf.version_core, threads } };
  }
  const message = `backend '${name}' is not available on this machine`;
  return { ok: false, error: kilnError('backend/unavailable', 'runtime.backend', message, hints[name === 'auto' ? 'cpu' : name]) };
}

/** Like trySelectBackend, but throws a KilnFailure (carrying backend/unavailable) when it cannot. */
export async function selectBackend(name: BackendChoice, opts: { threads?: number } = {}): Promise<SelectedBackend> {
  const result = await trySelectBackend(name, opts);
  if (!result.ok) throw new KilnFailure(result.error);
  return result.backend;
}
