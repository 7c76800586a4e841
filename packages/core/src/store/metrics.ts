/** Writing metric points in bulk, keeping metric_summaries current per batch (not per point). */
import { sql } from 'drizzle-orm';
import type { MetricRow, Renderable, StoreConnection } from './dialect.ts';
import { metricSummaries } from './schema.ts';
import { rollupStatements } from './rollups.ts';
import { metricDirection } from '../catalog/metrics.ts';

export interface MetricPoint {
  key: string;
  step: number;
  epoch?: number | null;
  value: number | null;
  /** Epoch ms; defaults to when the point was logged. */
  wallTime?: number;
}

/** Rows per bulk statement; keeps each JSON parameter a few MB at most. */
const ROWS_PER_INSERT = 50_000;

interface BatchSummary {
  key: string;
  last: number | null;
  lastStep: number;
  min: number | null;
  minStep: number | null;
  max: number | null;
  maxStep: number | null;
  count: number;
}

function summarize(points: MetricPoint[]): BatchSummary[] {
  const byKey = new Map<string, BatchSummary>();
  for (const p of points) {
    let s = byKey.get(p.key);
    if (s === undefined) {
      s = { key: p.key, last: p.value, lastStep: p.step, min: null, minStep: null, max: null, maxStep: null, count: 0 };
      byKey.set(p.key, s);
    }
    s.count++;
    if (p.step >= s.lastStep) {
      s.last = p.value;
      s.lastStep = p.step;
    }
    if (p.value === null) continue;
    if (s.min === null || p.value < s.min) [s.min, s.minStep] = [p.value, p.step];
    if (s.max === null || p.value > s.max) [s.max, s.maxStep] = [p.value, p.step];
  }
  return [...byKey.values()];
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Builds the statements that insert `points` for one run and merge their summaries; run them in one batch. `loggedAt[i]` is point i's wall time unless it has its own. */
export function metricStatements(conn: StoreConnection, runId: string, points: MetricPoint[], loggedAt: readonly number[] = []): Renderable[] {
  const now = Date.now();
  // One pass, and a point is copied only when its value is not finite (stored as NULL): at 100k
  // points/s the garbage collector is a large share of the ingest time.
  const clean = new Array<MetricPoint>(points.length);
  const rows = new Array<MetricRow>(points.length);
  points.forEach((p, i) => {
    const value = finiteOrNull(p.value);
    clean[i] = value === p.value ? p : { ...p, value };
    rows[i] = [p.key, p.step, p.epoch ?? null, value, p.wallTime ?? loggedAt[i] ?? now];
  });
  const out: Renderable[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(conn.bulkMetricInsert(runId, rows.slice(i, i + ROWS_PER_INSERT)));
  for (const s of summarize(clean)) out.push(summaryUpsert(conn, runId, s));
  out.push(...rollupStatements(conn, runId, clean));
  return out;
}

function summaryUpsert(conn: StoreConnection, runId: string, s: BatchSummary): Renderable {
  const t = metricSummaries;
  const newMinWins = sql`(excluded.min IS NOT NULL AND (${t.min} IS NULL OR excluded.min < ${t.min}))`;
  const newMaxWins = sql`(excluded.max IS NOT NULL AND (${t.max} IS NULL OR excluded.max > ${t.max}))`;
  // The catalog decides which extreme is the best, as it does for the monitor, compare and the UI.
  const lossLike = metricDirection(s.key) === 'min';
  return conn.db
    .insert(t)
    .values({ runId, ...s, bestStep: lossLike ? s.minStep : s.maxStep })
    .onConflictDoUpdate({
      target: [t.runId, t.key],
      set: {
        last: sql`CASE WHEN excluded.last_step >= ${t.lastStep} THEN excluded.last ELSE ${t.last} END`,
        lastStep: sql`CASE WHEN excluded.last_step >= ${t.lastStep} THEN excluded.last_step ELSE ${t.lastStep} END`,
        min: sql`CASE WHEN ${newMinWins} THEN excluded.min ELSE ${t.min} END`,
        minStep: sql`CASE WHEN ${newMinWins} THEN excluded.min_step ELSE ${t.minStep} END`,
        max: sql`CASE WHEN ${newMaxWins} THEN excluded.max ELSE ${t.max} END`,
        maxStep: sql`CASE WHEN ${newMaxWins} THEN excluded.max_step ELSE ${t.maxStep} END`,
        bestStep: lossLike
          ? sql`CASE WHEN ${newMinWins} THEN excluded.min_step ELSE ${t.minStep} END`
          : sql`CASE WHEN ${newMaxWins} THEN excluded.max_step ELSE ${t.maxStep} END`,
        count: sql`${t.count} + excluded.count`,
      },
    });
}

/** Writes points for one run in one transaction. */
export async function writeMetrics(conn: StoreConnection, runId: string, points: MetricPoint[]): Promise<void> {
  if (points.length === 0) return;
  await conn.writeBatch(metricStatements(conn, runId, points));
}
