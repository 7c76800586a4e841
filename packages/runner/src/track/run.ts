/**
 * startRun: a tracked run driven by the user's own code (MLflow's start_run, W&B's init). It is a
 * thin layer over core's tracker, so buffering, heartbeats, signal handling and crash detection are
 * the same as for pipeline runs.
 */
import { createHash } from 'node:crypto';
import { KilnFailure } from '@kiln/core/errors';
import { createTracker, flattenParams, installExitHandlers, openStore, type ArtifactRecord, type MetricPoint, type RunHandle, type Store } from '@kiln/core/store';
import { KILN_VERSION } from '../run/tracking.ts';
import { scriptSource } from './source.ts';
import { tfProvenance, type TfLike } from './tf-info.ts';

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

export interface LogOptions {
  /** Default: one past the highest step logged so far on this run (1 for the first). */
  step?: number;
  epoch?: number;
}

export type EndStatus = 'finished' | 'failed' | 'killed';

/** A live run started from user code. */
export interface Run {
  readonly id: string;
  readonly name: string;
  /** The store's URL with any password removed. */
  readonly store: string;
  /** The highest step logged so far (0 before any). */
  readonly step: number;
  readonly ended: boolean;
  log(values: Record<string, number>, opts?: LogOptions): void;
  logParams(params: Record<string, unknown>): Promise<void>;
  logArtifact(path: string, kind?: string): Promise<ArtifactRecord>;
  setTag(key: string, value: string): Promise<void>;
  /** Says which model the run kept (its epoch, or null) and that model's values (`val.accuracy`, `test.accuracy`), shown as `final` by kiln runs/show/compare and the UI. */
  recordKept(epoch: number | null, values: Record<string, number>): Promise<void>;
  flush(): Promise<void>;
  end(status?: EndStatus, reason?: string): Promise<void>;
}

function bad(path: string, message: string): KilnFailure {
  return new KilnFailure({ code: 'track/bad-input', path, message });
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

/** Runs of this process still live: a signal or an uncaught error ends each, and the process exits once all are recorded. */
const LIVE = new Set<TrackedRun>();

/** A store that stops answering (a PostgreSQL server gone) must not keep an interrupted script alive. */
const EXIT_WAIT_MS = 10_000;

function exitAfterLiveRuns(code: number): void {
  const recorded = Promise.allSettled([...LIVE].map((r) => r.ending));
  void Promise.race([recorded, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS))]).then(() => process.exit(code));
}

class TrackedRun implements Run {
  step = 0;
  ending: Promise<void> | undefined;
  private readonly removeHandlers: () => void;

  constructor(
    private readonly handle: RunHandle,
    private readonly db: Store,
    exitHandlers: boolean,
  ) {
    // The handlers end the run through this.end (which also closes the store); with several runs
    // in one process, the first to be recorded must not exit before the others are.
    const end: RunHandle['end'] = (status, reason) => this.end(status as EndStatus, reason);
    const viaThis = new Proxy(handle, { get: (target, key) => (key === 'end' ? end : Reflect.get(target, key, target)) });
    const removeExit = exitHandlers ? installExitHandlers(viaThis, { exit: exitAfterLiveRuns }) : () => undefined;
    LIVE.add(this);
    // A script that returns without end() has finished: record it so (MLflow and W&B do the same) rather than leave it to become `crashed`.
    const onBeforeExit = () => void this.end('finished').catch((err: unknown) => process.stderr.write(`kiln: could not end run ${handle.id}: ${String(err)}\n`));
    process.once('beforeExit', onBeforeExit);
    this.removeHandlers = () => {
      removeExit();
      process.off('beforeExit', onBeforeExit);
    };
  }

  get id(): string {
    return this.handle.id;
  }
  get name(): string {
    return this.handle.name;
  }
  get store(): string {
    return this.db.displayUrl;
  }
  get ended(): boolean {
    return this.handle.ended;
  }

  log(values: Record<string, number>, opts: LogOptions = {}): void {
    const step = opts.step ?? this.step + 1;
    if (!Number.isInteger(step) || step < 0) throw bad('step', `step must be a whole number >= 0, got ${String(step)}`);
    if (opts.epoch !== undefined && !Number.isInteger(opts.epoch)) throw bad('epoch', `epoch must be a whole number, got ${String(opts.epoch)}`);
    const points: MetricPoint[] = [];
    for (const [key, value] of Object.entries(values)) {
      if (key === '') throw bad('', 'a metric key is empty');
      if (typeof value !== 'number') throw bad(key, `metric ${key} must be a number, got ${typeof value}`);
      points.push({ key, step, epoch: opts.epoch ?? null, value });
    }
    this.handle.logMetrics(points);
    this.step = Math.max(this.step, step);
  }

  logParams(params: Record<string, unknown>): Promise<void> {
    return this.handle.logParams(flattenParams(params));
  }

  logArtifact(path: string, kind = 'file'): Promise<ArtifactRecord> {
    return this.handle.logArtifact(path, kind);
  }

  setTag(key: string, value: string): Promise<void> {
    return this.handle.setTag(key, value);
  }

  recordKept(epoch: number | null, values: Record<string, number>): Promise<void> {
    return this.handle.recordKept(epoch, values);
  }

  flush(): Promise<void> {
    return this.handle.flush();
  }

  end(status: EndStatus = 'finished', reason?: string): Promise<void> {
    // The first call decides the status; later ones (beforeExit after an explicit end) wait for it.
    this.ending ??= this.finish(status, reason);
    return this.ending;
  }

  private async finish(status: EndStatus, reason?: string): Promise<void> {
    this.removeHandlers();
    try {
      await this.handle.end(status, reason);
    } finally {
      this.db.close();
      LIVE.delete(this);
    }
  }
}
