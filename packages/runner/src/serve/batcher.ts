/**
 * Micro-batching: requests that arrive within `waitMs` of each other are predicted in one model call
 * (up to `maxBatch` rows), which is what makes many small concurrent requests cheap: one call of a
 * small model costs about the same for 1 row as for 64. A request larger than `maxBatch` is predicted
 * alone, `maxBatch` rows a call. When a combined call fails (a value the schema let through but the
 * preprocessing cannot read), each request is retried alone, so one bad request fails only itself.
 */
import type { Row } from '../data/table.ts';
import { predictRows, type Prediction } from '../predict/predict.ts';
import { pin, unpin, type Slot } from './slot.ts';

/** Counters /health reports: batching is visible as fewer model calls than requests. */
export interface BatchStats {
  requests: number;
  rows: number;
  modelCalls: number;
  /** The most rows one model call took. */
  largestCall: number;
}

interface Job {
  slot: Slot;
  rows: Row[];
  resolve: (p: Prediction[]) => void;
  reject: (e: unknown) => void;
}

/** A queue that gathers requests into model calls. */
export interface Batcher {
  /** Predictions for `rows` with `slot`'s model, in kiln predict's shape (`row` is the index in `rows`). */
  predict(slot: Slot, rows: Row[]): Promise<Prediction[]>;
  stats: BatchStats;
  /** Resolves once every queued request is answered. */
  drain(): Promise<void>;
}

/** A batcher of up to `maxBatch` rows per model call, waiting up to `waitMs` for more requests to join. */
export function createBatcher(maxBatch: number, waitMs: number): Batcher {
  const stats: BatchStats = { requests: 0, rows: 0, modelCalls: 0, largestCall: 0 };
  const queue: Job[] = [];
  // The pending flush: `now` when it runs on the next turn of the event loop, else after waitMs.
  let timer: { now: boolean; cancel: () => void } | null = null;
  const idle: (() => void)[] = [];
  const later = (now: boolean) => {
    if (now) {
      const i = setImmediate(flush);
      return { now, cancel: () => clearImmediate(i) };
    }
    const t = setTimeout(flush, waitMs);
    return { now, cancel: () => clearTimeout(t) };
  };

  const call = (slot: Slot, rows: Row[]): Prediction[] => {
    const out: Prediction[] = [];
    for (let start = 0; start < rows.length; start += maxBatch) {
      const chunk = rows.slice(start, start + maxBatch);
      stats.modelCalls += 1;
      stats.largestCall = Math.max(stats.largestCall, chunk.length);
      for (const p of predictRows(slot.loaded, chunk)) out.push({ ...p, row: p.row + start });
    }
    return out;
  };

  const runGroup = (group: Job[]): void => {
    const [first] = group;
    if (first === undefined) return;
    try {
      const preds = call(first.slot, group.flatMap((j) => j.rows));
      let k = 0;
      let offset = 0;
      for (const job of group) {
        const end = offset + job.rows.length;
        const mine: Prediction[] = [];
        // Predictions come in row order, rows dropped by `missing: drop` left out.
        for (let p = preds[k]; p !== undefined && p.row < end; p = preds[++k]) mine.push({ ...p, row: p.row - offset });
        job.resolve(mine);
        offset = end;
      }
    } catch (e) {
      if (group.length === 1) first.reject(e);
      else for (const job of group) runGroup([job]);
    }
  };

  /** The next group: queued jobs on one slot, up to maxBatch rows (at least one job). */
  const takeGroup = (): Job[] => {
    const group: Job[] = [];
    let rows = 0;
    for (let job = queue[0]; job !== undefined; job = queue[0]) {
      if (group.length > 0 && (job.slot !== group[0]?.slot || rows + job.rows.length > maxBatch)) break;
      group.push(job);
      rows += job.rows.length;
      queue.shift();
    }
    return group;
  };

  const flush = (): void => {
    timer = null;
    runGroup(takeGroup());
    // One group a turn of the event loop: requests arriving meanwhile are read and join the next one.
    if (queue.length > 0) timer = later(true);
    else for (const done of idle.splice(0)) done();
  };

  const schedule = (): void => {
    const queued = queue.reduce((n, j) => n + j.rows.length, 0);
    // A full batch goes on the next turn (requests read in this one still join); else after waitMs.
    if (queued >= maxBatch && timer?.now !== true) {
      timer?.cancel();
      timer = later(true);
    } else if (timer === null) timer = later(waitMs <= 0);
  };

  return {
    stats,
    predict(slot, rows) {
      stats.requests += 1;
      stats.rows += rows.length;
      pin(slot);
      return new Promise<Prediction[]>((resolve, reject) => {
        queue.push({ slot, rows, resolve, reject });
        schedule();
      }).finally(() => unpin(slot));
    },
    drain: () => (queue.length === 0 ? Promise.resolve() : new Promise<void>((done) => idle.push(done))),
  };
}
