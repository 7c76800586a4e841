/**
 * Metric history with server-side downsampling to at most N points that keeps each bucket's min
 * and max. Aligned stretches read metric_rollups; the ragged edges (and short histories) stream raw
 * points. Each candidate point is a real point, so every output bucket's extremes are exact.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import { metricRollups, metrics } from './schema.ts';
import { ROLLUP_WIDTHS } from './rollups.ts';

export interface HistoryPoint {
  step: number;
  value: number | null;
  epoch?: number | null;
  wallTime?: number;
}

export interface HistoryOptions {
  /** Maximum points returned (default 1000). */
  points?: number;
  fromStep?: number;
  toStep?: number;
}

export interface History {
  key: string;
  points: HistoryPoint[];
  /** True when the points are extremes of buckets rather than every point. */
  downsampled: boolean;
  /** Points in range when not downsampled; null when counting them would cost a full scan. */
  total: number | null;
}

/** Returns a metric's history for a run, downsampled to at most `points` points. */
export async function metricHistory(store: Store, runId: string, key: string, opts: HistoryOptions = {}): Promise<History> {
  const limit = Math.max(2, opts.points ?? 1000);
  const m = metrics;
  const where = [eq(m.runId, runId), eq(m.key, key)];
  if (opts.fromStep !== undefined) where.push(gte(m.step, opts.fromStep));
  if (opts.toStep !== undefined) where.push(lte(m.step, opts.toStep));
  // Separate ORDER BY .. LIMIT 1 probes keep each lookup O(log n); count(*) would scan every point.
  const edge = (dir: typeof asc) =>
    store.db.select({ step: m.step }).from(m).where(and(...where)).orderBy(dir(m.step)).limit(1).then((r) => r[0]);
  const [first, last] = await Promise.all([edge(asc), edge(desc)]);
  if (first === undefined || last === undefined) return { key, points: [], downsampled: false, total: 0 };
  const [lo, hi] = [first.step, last.step];
  const capped = store.db.select({ one: sql`1` }).from(m).where(and(...where)).limit(limit + 1).as('capped');
  const [few] = await store.db.select({ n: sql<number>`count(*)` }).from(capped);
  const n = Number(few?.n ?? 0);
  if (n <= limit) {
    const rows = await store.db
      .select({ step: m.step, value: m.value, epoch: m.epoch, wallTime: m.wallTime })
      .from(m)
      .where(and(eq(m.runId, runId), eq(m.key, key), gte(m.step, lo), lte(m.step, hi)))
      .orderBy(asc(m.step));
    return { key, points: rows, downsampled: false, total: n };
  }
  const buckets = Math.floor(limit / 2);
  const bucketWidth = Math.ceil((hi - lo + 1) / buckets);
  const candidates = await candidatePoints(store, runId, key, lo, hi, bucketWidth);
  const points = await withEpochsAndTimes(store, runId, key, pickExtremes(candidates, lo, bucketWidth));
  return { key, points, downsampled: true, total: null };
}

/**
 * The kept points' epochs and wall times (the charts' other x axes), which the rollups do not carry:
 * one read of at most `points` rows by the (run, key, step) index, ~1 ms for 1,000.
 */
async function withEpochsAndTimes(store: Store, runId: string, key: string, points: HistoryPoint[]): Promise<HistoryPoint[]> {
  if (points.length === 0) return points;
  const m = metrics;
  const rows = await store.db
    .select({ step: m.step, epoch: m.epoch, wallTime: m.wallTime })
    .from(m)
    .where(and(eq(m.runId, runId), eq(m.key, key), inArray(m.step, [...new Set(points.map((p) => p.step))])));
  const byStep = new Map(rows.map((r) => [r.step, r]));
  return points.map((p) => {
    const row = byStep.get(p.step);
    return row === undefined ? p : { ...p, epoch: row.epoch, wallTime: row.wallTime };
  });
}

type Candidate = [step: number, value: number];

/** Real points that include every output bucket's min and max: rollup extremes plus raw edge points. */
async function candidatePoints(store: Store, runId: string, key: string, lo: number, hi: number, bucketWidth: number): Promise<Candidate[]> {
  const width = [...ROLLUP_WIDTHS].reverse().find((w) => w <= bucketWidth);
  if (width === undefined) return rawPoints(store, runId, key, lo, hi);
  const firstBucket = Math.ceil(lo / width);
  const lastBucket = Math.floor((hi + 1) / width) - 1;
  if (lastBucket < firstBucket) return rawPoints(store, runId, key, lo, hi);
  const r = metricRollups;
  const rows = await store.db
    .select({ min: r.min, minStep: r.minStep, max: r.max, maxStep: r.maxStep })
    .from(r)
    .where(and(eq(r.runId, runId), eq(r.key, key), eq(r.width, width), gte(r.bucket, firstBucket), lte(r.bucket, lastBucket)));
  const out: Candidate[] = [];
  out.push(...(await rawPoints(store, runId, key, lo, firstBucket * width - 1)));
  for (const row of rows) out.push([row.minStep, row.min], [row.maxStep, row.max]);
  out.push(...(await rawPoints(store, runId, key, (lastBucket + 1) * width, hi)));
  return out;
}

async function rawPoints(store: Store, runId: string, key: string, from: number, to: number): Promise<Candidate[]> {
  if (to < from) return [];
  const m = metrics;
  const rows = await store.db
    .select({ step: m.step, value: m.value })
    .from(m)
    .where(and(eq(m.runId, runId), eq(m.key, key), gte(m.step, from), lte(m.step, to), sql`${m.value} IS NOT NULL`));
  return rows.map((r) => [r.step, r.value as number]);
}

/** One streaming pass: per output bucket keep the min and the max point, emitted in step order. */
export function pickExtremes(candidates: Candidate[], lo: number, bucketWidth: number): HistoryPoint[] {
  const mins = new Map<number, Candidate>();
  const maxs = new Map<number, Candidate>();
  for (const c of candidates) {
    const b = Math.floor((c[0] - lo) / bucketWidth);
    const curMin = mins.get(b);
    if (curMin === undefined || c[1] < curMin[1]) mins.set(b, c);
    const curMax = maxs.get(b);
    if (curMax === undefined || c[1] > curMax[1]) maxs.set(b, c);
  }
  const points: HistoryPoint[] = [];
  for (const b of [...mins.keys()].sort((x, y) => x - y)) {
    const a = mins.get(b) as Candidate;
    const z = maxs.get(b) as Candidate;
    const pair = a[0] === z[0] ? [a] : a[0] < z[0] ? [a, z] : [z, a];
    for (const [step, value] of pair) points.push({ step, value });
  }
  return points;
}
