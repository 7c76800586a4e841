/**
 * startRun: a tracked run driven by the user's own code (MLflow's start_run, W&B's init). It is a
 * thin layer over core's tracker, so buffering, heartbeats, signal handling and crash detection are
 * the same as for pipeline runs.
 */
import { createHash } from 'node:crypto';
import { createTracker, flattenParams, openStore } from '@kiln/core/store';
import { KILN_VERSION } from '../run/tracking.ts';
import { TrackedRun, type Run } from './live-run.ts';
import { scriptSource } from './source.ts';
import { tfProvenance, type TfLike } from './tf-info.ts';

export type { EndStatus, LogOptions, Run } from './live-run.ts';

export interface StartRunOptions {
  /** Experiment the run belongs to (created if new); default: the script's name, else `default`. */
  experiment?: string;
  /** Display name; default `<script name>-<hex>`, unique in the store. */
  name?: string;
  /** Hyperparameters, nested as you like; flattened to `lr`, `layers[0]`, `optimizer.beta1`, ... */
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
  /** Store URL or file; default `KILN_STORE`, else `.kiln/kiln.db` under the working directory (as the CLI). */
  store?: string;
  /** The script recorded as the run's source; default the process's main script. */
  script?: string;
  /** Your TensorFlow.js namespace (`import * as tf from ...`): records its version and current backend. */
  tf?: TfLike;
  /** Ctrl-C/SIGTERM end the run `killed`, an uncaught error `failed` (default true). */
  exitHandlers?: boolean;
  /** Buffered metrics are written at least this often (default 2000 ms). */
  flushIntervalMs?: number;
}

/** Canonical JSON (sorted keys) so equal params hash equally whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** Starts a tracked run in the store (opening it like the CLI does) and records params, tags, source and provenance. */
export async function startRun(opts: StartRunOptions = {}): Promise<Run> {
  const src = await scriptSource(opts.script);
  const store = await openStore(opts.store);
  try {
    const params = opts.params ?? {};
    const experiment = opts.experiment ?? src.stem ?? 'default';
    const handle = await createTracker(store, { flushIntervalMs: opts.flushIntervalMs }).startRun({
      experiment,
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      pipeline: opts.name ?? src.stem ?? experiment,
      config: params,
      yaml: '', // no pipeline file: the source script is recorded in the kiln.source tags
      configHash: createHash('sha256').update(canonical(params)).digest('hex'),
      provenance: { ...src.provenance, ...tfProvenance(opts.tf), kilnVersion: KILN_VERSION },
    });
    await handle.logParams(flattenParams(params));
    if (src.path !== null) await handle.setTag('kiln.source', src.path);
    if (src.sha256 !== null) await handle.setTag('kiln.source.sha256', src.sha256);
    for (const [key, value] of Object.entries(opts.tags ?? {})) await handle.setTag(key, value);
    return new TrackedRun(handle, store, opts.exitHandlers !== false);
  } catch (err) {
    store.close();
    throw err;
  }
}

