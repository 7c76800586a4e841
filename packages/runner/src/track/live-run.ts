/** The live run handed to user code: metric checks and steps over core's run handle, and how the process ends it. */
import { KilnFailure } from '@kiln/core/errors';
import { flattenParams, installExitHandlers, type ArtifactRecord, type MetricPoint, type RunHandle, type Store } from '@kiln/core/store';

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

/** Runs of this process still live: a signal or an uncaught error ends each, and the process exits once all are recorded. */
const LIVE = new Set<TrackedRun>();

/** A store that stops answering (a PostgreSQL server gone) must not keep an interrupted script alive. */
const EXIT_WAIT_MS = 10_000;

function exitAfterLiveRuns(code: number): void {
  const recorded = Promise.allSettled([...LIVE].map((r) => r.ending));
  void Promise.race([recorded, new Promise((resolve) => setTimeout(resolve, EXIT_WAIT_MS))]).then(() => process.exit(code));
}

/** A Run over a core run handle and the store it owns (closed at end). */
export class TrackedRun implements Run {
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
