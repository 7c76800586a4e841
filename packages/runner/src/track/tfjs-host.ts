/**
 * Finding the user's own tfjs-layers in this process, without loading one.
 *
 * tfjs hands the model to a callback only when the callback is an instance of ITS Callback class
 * (`callbacks[0] instanceof BaseCallback`; plain objects are wrapped and never see the model).
 * Importing tfjs-layers from Kiln could load a second copy (another version, another folder):
 * a second engine whose Callback class the user's fit does not recognise. So Kiln looks for the
 * tfjs-layers the user's code has already loaded: Node keeps every CommonJS module it loaded in
 * require.cache (tfjs' Node entry points are CommonJS, imported or required), and a model exists
 * only after its tfjs-layers ran. Nothing is loaded here; if none is found, or several disagree,
 * the caller falls back to a plain callback object.
 */
import { createRequire } from 'node:module';

/** tfjs-layers' Callback: `model` and `params` are set by fit before onTrainBegin. */
export interface TfCallbackBase {
  model: unknown;
  params: Record<string, unknown>;
}
export type TfCallbackClass = new () => TfCallbackBase;

/** The log values tfjs passes: numbers or (for non-wrapped callbacks) scalar tensors. */
interface ScalarLike {
  data(): Promise<ArrayLike<number>>;
}

const TFJS_ENTRY = /[\\/]@tensorflow[\\/]tfjs(-layers|-node|-node-gpu)?[\\/]dist[\\/][^\\/]+\.js$/;

function callbackOf(exports: unknown): TfCallbackClass | undefined {
  const cb = (exports as { Callback?: unknown } | null)?.Callback;
  return typeof cb === 'function' ? (cb as TfCallbackClass) : undefined;
}

/** The Callback class of the one tfjs-layers this process has loaded (an explicit namespace wins); undefined if none or ambiguous. */
export function loadedCallbackClass(tf?: unknown): TfCallbackClass | undefined {
  const explicit = callbackOf(tf);
  if (explicit !== undefined) return explicit;
  const cache = createRequire(import.meta.url).cache;
  const found = new Set<TfCallbackClass>();
  for (const [file, mod] of Object.entries(cache)) {
    if (!TFJS_ENTRY.test(file)) continue;
    const cb = callbackOf(mod?.exports);
    if (cb !== undefined) found.add(cb);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Log values as plain numbers (scalars read back); other entries dropped. */
export async function resolveLogs(logs: Record<string, unknown> | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs ?? {})) {
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'object' && v !== null && typeof (v as ScalarLike).data === 'function') {
      // A log entry that reads back empty is not a number: dropped like other non-scalars.
      const first = (await (v as ScalarLike).data())[0];
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}
