/**
 * Facts about a whole filtered set of runs (not one page of it; its newest 1,000 at most), for choosing default
 * columns and chart axes: per
 * param key how many runs have it and how many distinct values it takes, the metric and tag keys logged, the
 * monitored metric the runs' configs name, and the search space of the sweeps the runs belong to.
 */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import { experiments, metricSummaries, params, runs, sweeps, tags } from './schema.ts';
import { countConditions, WINDOW_RUNS } from './run-count.ts';
import { newestPage } from './newest-runs.ts';

export interface RunSetQuery {
  filter?: string;
  experiment?: string;
  hideFolds?: boolean;
}

export interface ParamStat {
  key: string;
  /** Runs of the set that have the param. */
  runs: number;
  /** Distinct values among them (by their text form). */
  distinct: number;
  /** Every value is a number (or a bool stored as 0/1). */
  numeric: boolean;
  /** The longest value's text length (free text is long). */
  maxLength: number;
  min: number | null;
  max: number | null;
}

export interface RunSetStats {
  /** Runs the statistics read: the whole set, or its newest RUN_SET_SAMPLE when `sampled`. */
  total: number;
  sampled: boolean;
  params: ParamStat[];
  metricKeys: string[];
  tagKeys: string[];
  /** The metric most runs' earlyStopping/checkpoint monitors (null when none names one). */
  monitored: string | null;
  /** Param keys swept by a sweep the runs belong to, with whether the search space draws them in log space. */
  swept: Record<string, { log: boolean }>;
}

const MONITOR_KEYS = ['train.earlyStopping.monitor', 'train.checkpoint.monitor'];
const LOG_DISTRIBUTIONS = new Set(['logUniform', 'intLog']);

/** The search-space keys of the sweeps' stored plans (`space`: key -> distribution). */
function sweptKeys(specs: string[]): Record<string, { log: boolean }> {
  const out: Record<string, { log: boolean }> = {};
  for (const json of specs) {
    const spec = JSON.parse(json) as { space?: Record<string, { type?: unknown }> };
    for (const [key, d] of Object.entries(spec.space ?? {})) out[key] = { log: (out[key]?.log ?? false) || LOG_DISTRIBUTIONS.has(String(d.type)) };
  }
  return out;
}

/**
 * How many of the set's runs the statistics read, newest first: enough for which params vary and how, while the
 * GROUP BY over every param of every run took 1-3 s at 100,000 runs.
 */
export const RUN_SET_SAMPLE = 1000;

/**
 * The newest `sample` runs of the set, and whether the set holds more: first from the scope's newest runs, checked one
 * by one and stopping once the sample is full (newest-runs.ts), else (a selective filter on a scope larger than that
 * window) by the general plan.
 */
async function sampleIds(store: Store, q: RunSetQuery, sample: number): Promise<{ ids: string[]; sampled: boolean }> {
  const newest = await newestPage(store, q, await countConditions(store, q, true), sample + 1, 0, WINDOW_RUNS);
  // a full sample, or every run of a scope no larger than the window: the answer either way
  if (newest.ids.length > sample || newest.everyRun) return { ids: newest.ids.slice(0, sample), sampled: newest.ids.length > sample };
  const { where } = await countConditions(store, q, false);
  const rows = await store.db
    .select({ id: runs.id })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(where)
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(sample + 1);
  return { ids: rows.slice(0, sample).map((r) => r.id), sampled: rows.length > sample };
}

/** Param, metric and tag statistics over the runs the query selects (the newest `sample` of them when more). */
export async function runSetStats(store: Store, q: RunSetQuery = {}, sample = RUN_SET_SAMPLE): Promise<RunSetStats> {
  const { ids, sampled } = await sampleIds(store, q, sample);
  if (ids.length === 0) return { total: 0, sampled: false, params: [], metricKeys: [], tagKeys: [], monitored: null, swept: {} };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const [ps, ms, ts, monitors, specs] = await Promise.all([
    store.db
      .select({
        key: params.key,
        runs: count(),
        distinct: sql<number>`count(DISTINCT ${params.textValue})`,
        nums: sql<number>`count(${params.numValue})`,
        maxLength: sql<number>`max(length(${params.textValue}))`,
        min: sql<number | null>`min(${params.numValue})`,
        max: sql<number | null>`max(${params.numValue})`,
      })
      .from(params)
      .where(inArray(params.runId, ids))
      .groupBy(params.key),
    store.db.selectDistinct({ key: metricSummaries.key }).from(metricSummaries).where(inArray(metricSummaries.runId, ids)),
    store.db.selectDistinct({ key: tags.key }).from(tags).where(inArray(tags.runId, ids)),
    store.db
      .select({ value: params.textValue, n: count() })
      .from(params)
      .where(and(inArray(params.key, MONITOR_KEYS), inArray(params.runId, ids)))
      .groupBy(params.textValue)
      .orderBy(sql`count(*) DESC`, params.textValue)
      .limit(1),
    store.db
      .select({ spec: sweeps.specJson })
      .from(sweeps)
      .where(inArray(sweeps.id, store.db.selectDistinct({ id: runs.sweepId }).from(runs).where(inArray(runs.id, ids)))),
  ]);
  return {
    total: ids.length,
    sampled,
    params: ps
      .map((p) => ({ key: p.key, runs: Number(p.runs), distinct: Number(p.distinct), numeric: Number(p.nums) === Number(p.runs), maxLength: Number(p.maxLength ?? 0), min: num(p.min), max: num(p.max) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    metricKeys: ms.map((m) => m.key).sort(),
    tagKeys: ts.map((t) => t.key).sort(),
    monitored: monitors[0]?.value ?? null,
    swept: sweptKeys(specs.map((s) => s.spec)),
  };
}
