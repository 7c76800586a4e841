/** Experiments with the best value of their main metric (listExperiments has no metric). */
import { and, eq, inArray, max, min } from 'drizzle-orm';
import type { Store } from './open.ts';
import { metricSummaries as ms, runs } from './schema.ts';
import { metricDirection } from '../catalog/metrics.ts';
import { goalFor, type Goal } from '../catalog/sweep.ts';
import { listExperiments, type ExperimentSummary } from './query.ts';

export interface ExperimentRow extends ExperimentSummary {
  /** The metric the best value is of (null when the experiment has no metrics). */
  metric: string | null;
  goal: Goal | null;
  best: number | null;
}

/** Preference order for the main metric when the caller does not choose one. */
const PREFERRED = [/^val\.acc(uracy)?$/, /^val\.loss$/, /^val\./, /^test\./, /./];

/** Picks the main metric from the keys an experiment's runs logged. */
export function mainMetric(keys: string[]): string | null {
  const sorted = [...keys].sort();
  for (const re of PREFERRED) {
    const hit = sorted.find((k) => re.test(k));
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Every experiment with run count, last activity and best value of `metric` (or each one's main metric). */
export async function experimentsWithBest(store: Store, metric?: string): Promise<ExperimentRow[]> {
  const list = await listExperiments(store);
  if (list.length === 0) return [];
  const ids = list.map((e) => e.id);
  const keyRows = await store.db
    .selectDistinct({ experimentId: runs.experimentId, key: ms.key })
    .from(ms)
    .innerJoin(runs, eq(runs.id, ms.runId))
    .where(inArray(runs.experimentId, ids));
  const keysBy = new Map<number, string[]>();
  for (const r of keyRows) keysBy.set(r.experimentId, [...(keysBy.get(r.experimentId) ?? []), r.key]);
  return Promise.all(
    list.map(async (e) => {
      const keys = keysBy.get(e.id) ?? [];
      const key = metric !== undefined && metric !== '' ? metric : mainMetric(keys);
      if (key === null || !keys.includes(key)) return { ...e, metric: key, goal: null, best: null };
      const goal = goalFor(metricDirection(key));
      const row = await store.db
        .select({ lo: min(ms.min), hi: max(ms.max) })
        .from(ms)
        .innerJoin(runs, eq(runs.id, ms.runId))
        .where(and(eq(runs.experimentId, e.id), eq(ms.key, key)))
        .limit(1)
        .then((r) => r[0]);
      return { ...e, metric: key, goal, best: (goal === 'minimize' ? row?.lo : row?.hi) ?? null };
    }),
  );
}
