/** The tracker API the runner calls; it hides the store behind run handles. */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import type { Renderable } from './dialect.ts';
import { metricSummaries, runs, params as paramsTable, tags, type RunStatus } from './schema.ts';
import { getOrCreateExperiment } from './experiments.ts';
import { metricStatements, type MetricPoint } from './metrics.ts';
import { typeParam } from './params.ts';
import { copyArtifact, type ArtifactRecord } from './artifacts.ts';
import type { Provenance } from './provenance.ts';
import { withBusyRetry } from './retry.ts';
import { stopRequest } from './stop.ts';

export interface StartRunInput {
  experiment: string;
  /** The run's display name, taken as given; by default `<pipeline>-<hex>`, unique in the store. */
  name?: string;
  /** The pipeline's `name` (filter field `name`); defaults to `name`, else the experiment. */
  pipeline?: string;
  config: unknown;
  yaml: string;
  configHash: string;
  dataFingerprint?: string | null;
  seed?: number | null;
  provenance?: Partial<Provenance>;
  sweepId?: string | null;
  trial?: number | null;
  /** The run this one starts from (model.from.run), recorded as its parent. */
  parentRunId?: string | null;
  /** A k-fold child's parent run (data.split.folds) and its fold, 1-based. */
  foldParentId?: string | null;
  fold?: number | null;
}

export interface TrackerOptions {
  /** Buffered metrics are written at least this often (default 2000 ms). */
  flushIntervalMs?: number;
  /** Heartbeat period while running (default 5000 ms); keep well under the stale threshold. */
  heartbeatMs?: number;
  /** A buffer this large is written without waiting for the timer (default 50,000 points). */
  maxBufferedPoints?: number;
}

export interface RunHandle {
  readonly id: string;
  readonly name: string;
  readonly experimentId: number;
  logParams(flat: Record<string, unknown>): Promise<void>;
  /** Buffers points; they reach the store on the next timed or explicit flush. */
  logMetrics(points: MetricPoint[]): void;
  logArtifact(localPath: string, kind: string): Promise<ArtifactRecord>;
  setTag(key: string, value: string): Promise<void>;
  flush(): Promise<void>;
  end(status: Exclude<RunStatus, 'running'>, reason?: string): Promise<void>;
  markDiverged(epoch: number, step: number): Promise<void>;
  /** Records the model the run kept: its epoch and its summary values (val.* of that epoch, test.*), after the points are written. */
  recordKept(epoch: number | null, values: Record<string, number>): Promise<void>;
  /** Calls `listener` once, with the reason, when someone asks this run to stop through the store (kiln delete --force). */
  onStopRequest(listener: (reason: string) => void): void;
  readonly ended: boolean;
}

export interface Tracker {
  startRun(input: StartRunInput): Promise<RunHandle>;
}

/** `excluded.<column>` in an upsert; column names here are constants, never user input. */
const excluded = (column: string) => sql.raw(`excluded.${column}`);

/** A sortable, unique run id: time in base36 then random hex. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

/** Creates a tracker bound to an open store. */
export function createTracker(store: Store, opts: TrackerOptions = {}): Tracker {
  return { startRun: (input) => startRun(store, input, opts) };
}

async function startRun(store: Store, input: StartRunInput, opts: TrackerOptions): Promise<RunHandle> {
  const experimentId = await getOrCreateExperiment(store.conn, input.experiment);
  const id = newRunId();
  const now = Date.now();
  const p = input.provenance ?? {};
  const pipeline = input.pipeline ?? input.name ?? input.experiment;
  const name = input.name ?? (await uniqueName(store, pipeline, id));
  await withBusyRetry(() =>
    store.db.insert(runs).values({
      id,
      name,
      pipeline,
      experimentId,
      status: 'running',
      startedAt: now,
      heartbeatAt: now,
      configJson: JSON.stringify(input.config ?? null),
      yaml: input.yaml,
      configHash: input.configHash,
      dataFingerprint: input.dataFingerprint ?? null,
      seed: input.seed ?? null,
      gitCommit: p.gitCommit ?? null,
      gitDirty: p.gitDirty ?? null,
      host: p.host ?? null,
      os: p.os ?? null,
      nodeVersion: p.nodeVersion ?? null,
      tfjsVersion: p.tfjsVersion ?? null,
      tfjsBackend: p.tfjsBackend ?? null,
      kilnVersion: p.kilnVersion ?? null,
      sweepId: input.sweepId ?? null,
      trialNumber: input.trial ?? null,
      parentRunId: input.parentRunId ?? null,
      foldParentId: input.foldParentId ?? null,
      fold: input.fold ?? null,
    }),
  );
  return new LiveRun(store, id, name, experimentId, now, opts);
}

/** `<pipeline>-<4 hex>` from the id's random tail, longer while another run already has that name. */
export async function uniqueName(store: Store, pipeline: string, id: string): Promise<string> {
  for (let n = 4; n < 10; n += 2) {
    const candidate = `${pipeline}-${id.slice(-n)}`;
    const taken = await store.db.select({ id: runs.id }).from(runs).where(eq(runs.name, candidate)).limit(1);
    if (taken.length === 0) return candidate;
  }
  return `${pipeline}-${id.slice(-10)}`;
}

/** Stored summary values are finite or NULL, as the metric points are. */
const finite = (v: number) => (Number.isFinite(v) ? v : null);

class LiveRun implements RunHandle {
  ended = false;
  private buffer: MetricPoint[] = [];
  /** When each buffered point was logged, beside it rather than copied into it (cheaper at 100k points/s). */
  private loggedAt: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private backgroundError: unknown = undefined;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private stopListeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly store: Store,
    readonly id: string,
    readonly name: string,
    readonly experimentId: number,
    private readonly startedAt: number,
    opts: TrackerOptions,
  ) {
    this.maxBuffered = opts.maxBufferedPoints ?? 50_000;
    // unref: a forgotten run must not keep the process alive; the stale sweep will mark it crashed.
    this.flushTimer = setInterval(() => this.background(() => this.timedFlush()), opts.flushIntervalMs ?? 2000).unref();
    this.heartbeatTimer = setInterval(() => this.background(() => this.beat()), opts.heartbeatMs ?? 5000).unref();
  }

  private background(task: () => Promise<void>): void {
    task().catch((err: unknown) => {
      this.backgroundError ??= err;
    });
  }

  /** Serializes writes from this handle so flushes never interleave. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.chain.then(task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The periodic flush also looks for a stop request, so one is seen within a flush interval. */
  private async timedFlush(): Promise<void> {
    await this.flush();
    if (this.stopListeners.length === 0 || this.ended) return;
    const reason = await stopRequest(this.store, this.id);
    if (reason === undefined) return;
    const listeners = this.stopListeners;
    this.stopListeners = [];
    for (const l of listeners) l(reason);
  }

  onStopRequest(listener: (reason: string) => void): void {
    this.stopListeners.push(listener);
  }

  private beat(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return this.enqueue(() =>
      withBusyRetry(() => this.store.db.update(runs).set({ heartbeatAt: Date.now() }).where(eq(runs.id, this.id))).then(() => undefined),
    );
  }

  async logParams(flat: Record<string, unknown>): Promise<void> {
    const rows = Object.entries(flat).map(([key, value]) => ({ runId: this.id, key, ...typeParam(value) }));
    if (rows.length === 0) return;
    const t = paramsTable;
    const stmts: Renderable[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      stmts.push(
        this.store.db
          .insert(t)
          .values(rows.slice(i, i + 500))
          .onConflictDoUpdate({ target: [t.runId, t.key], set: { type: excluded('type'), numValue: excluded('num_value'), textValue: excluded('text_value') } }),
      );
    }
    await this.enqueue(() => this.store.conn.writeBatch(stmts));
  }

  logMetrics(points: MetricPoint[]): void {
    if (this.ended) throw new Error(`run ${this.id} has ended; cannot log metrics`);
    const now = Date.now();
    for (const p of points) {
      this.buffer.push(p);
      this.loggedAt.push(now);
    }
    if (this.buffer.length >= this.maxBuffered) this.background(() => this.flush());
  }

  async logArtifact(localPath: string, kind: string): Promise<ArtifactRecord> {
    return copyArtifact(this.store, this.id, localPath, kind);
  }

  async setTag(key: string, value: string): Promise<void> {
    await this.enqueue(() =>
      withBusyRetry(() =>
        this.store.db
          .insert(tags)
          .values({ runId: this.id, key, value })
          .onConflictDoUpdate({ target: [tags.runId, tags.key], set: { value } }),
      ).then(() => undefined),
    );
  }

  async flush(): Promise<void> {
    const err = this.backgroundError;
    this.backgroundError = undefined;
    if (err !== undefined) throw err;
    await this.enqueue(async () => {
      if (this.buffer.length === 0) return;
      const batch = this.buffer;
      const times = this.loggedAt;
      this.buffer = [];
      this.loggedAt = [];
      try {
        await this.store.conn.writeBatch([
          ...metricStatements(this.store.conn, this.id, batch, times),
          this.store.db.update(runs).set({ heartbeatAt: Date.now() }).where(eq(runs.id, this.id)),
        ]);
      } catch (e) {
        // keep the points for the next attempt
        this.buffer = batch.concat(this.buffer);
        this.loggedAt = times.concat(this.loggedAt);
        throw e;
      }
    });
  }

  async end(status: Exclude<RunStatus, 'running'>, reason?: string): Promise<void> {
    if (this.ended) return;
    clearInterval(this.flushTimer);
    clearInterval(this.heartbeatTimer);
    try {
      await this.flush();
    } finally {
      this.ended = true;
      const endedAt = Date.now();
      await this.enqueue(() =>
        withBusyRetry(() =>
          this.store.db
            .update(runs)
            .set({ status, endedAt, durationMs: endedAt - this.startedAt, heartbeatAt: endedAt, failureReason: reason ?? null })
            .where(eq(runs.id, this.id)),
        ).then(() => undefined),
      );
    }
  }

  async recordKept(epoch: number | null, values: Record<string, number>): Promise<void> {
    await this.flush();
    const t = metricSummaries;
    const stmts: Renderable[] = Object.entries(values).map(([key, v]) =>
      this.store.db.update(t).set({ final: finite(v) }).where(and(eq(t.runId, this.id), eq(t.key, key))),
    );
    stmts.push(this.store.db.update(runs).set({ keptEpoch: epoch }).where(eq(runs.id, this.id)));
    await this.enqueue(() => withBusyRetry(() => this.store.conn.writeBatch(stmts)));
  }

  markDiverged(epoch: number, step: number): Promise<void> {
    return this.end('failed', `diverged at epoch ${epoch} step ${step}`);
  }
}
