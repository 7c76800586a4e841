/**
 * Min/max rollups of metric points per step bucket at fixed widths, maintained per written batch.
 * A bucket's min and max points are real points, so merging rollups into coarser buckets keeps
 * every coarse bucket's true extremes exact.
 */
import type { Renderable, RollupRow, StoreConnection } from './dialect.ts';

/** Bucket widths in steps, finest first. */
export const ROLLUP_WIDTHS = [64, 256, 1024, 4096, 16384, 65536] as const;

export interface Extremes {
  min: number;
  minStep: number;
  max: number;
  maxStep: number;
  count: number;
}

interface Point {
  key: string;
  step: number;
  value: number | null;
}

/** Folds one point into an accumulator (creating it on first use). */
export function foldPoint(acc: Extremes | undefined, step: number, value: number): Extremes {
  if (acc === undefined) return { min: value, minStep: step, max: value, maxStep: step, count: 1 };
  if (value < acc.min) {
    acc.min = value;
    acc.minStep = step;
  }
  if (value > acc.max) {
    acc.max = value;
    acc.maxStep = step;
  }
  acc.count++;
  return acc;
}

function mergeInto(acc: Extremes | undefined, e: Extremes): Extremes {
  if (acc === undefined) return { ...e };
  if (e.min < acc.min) [acc.min, acc.minStep] = [e.min, e.minStep];
  if (e.max > acc.max) [acc.max, acc.maxStep] = [e.max, e.maxStep];
  acc.count += e.count;
  return acc;
}

/** This batch's extremes per key and bucket at every width; coarse levels are merged from the finest. */
export function rollupRows(points: Point[]): RollupRow[] {
  const finest = new Map<string, Map<number, Extremes>>();
  const w0 = ROLLUP_WIDTHS[0];
  // Points of a key usually arrive in step order, so remember each key's current bucket.
  const current = new Map<string, { bucket: number; ext: Extremes; byBucket: Map<number, Extremes> }>();
  for (const p of points) {
    if (p.value === null) continue;
    const b = Math.floor(p.step / w0);
    let cur = current.get(p.key);
    if (cur !== undefined && cur.bucket === b) {
      foldPoint(cur.ext, p.step, p.value);
      continue;
    }
    let byBucket = cur?.byBucket ?? finest.get(p.key);
    if (byBucket === undefined) finest.set(p.key, (byBucket = new Map()));
    const ext = foldPoint(byBucket.get(b), p.step, p.value);
    byBucket.set(b, ext);
    cur = { bucket: b, ext, byBucket };
    current.set(p.key, cur);
  }
  const rows: RollupRow[] = [];
  for (const [key, byBucket] of finest) {
    let level = byBucket;
    let width: number = w0;
    for (const next of ROLLUP_WIDTHS) {
      if (next !== w0) {
        const coarser = new Map<number, Extremes>();
        const factor = next / width;
        for (const [b, e] of level) coarser.set(Math.floor(b / factor), mergeInto(coarser.get(Math.floor(b / factor)), e));
        [level, width] = [coarser, next];
      }
      for (const [b, e] of level) rows.push([key, width, b, e.min, e.minStep, e.max, e.maxStep, e.count]);
    }
  }
  return rows;
}

/** Upserts merging this batch's per-bucket extremes into metric_rollups. */
export function rollupStatements(conn: StoreConnection, runId: string, points: Point[]): Renderable[] {
  const rows = rollupRows(points);
  const out: Renderable[] = [];
  for (let i = 0; i < rows.length; i += 20_000) out.push(conn.bulkRollupUpsert(runId, rows.slice(i, i + 20_000)));
  return out;
}
