/** Which param/metric/tag columns the runs table offers and shows by default. */
import { mainMetric, summaryValue, type MetricSummary, type RunRow, type RunSetStats } from '../data/store.ts';
import { rankParams } from '../util/param-rank.ts';
import { fmtNum, fmtValue } from '../util/format.ts';
import { stdSuffix, withoutStdKeys } from '../util/mean-std.ts';

export interface Column {
  /** The field name the filter language and sort use: `params.x`, `metrics.y`, `tags.z`. */
  field: string;
  kind: 'param' | 'metric' | 'tag';
  key: string;
}

const KINDS: [Column['kind'], 'params' | 'metrics' | 'tags'][] = [
  ['metric', 'metrics'],
  ['param', 'params'],
  ['tag', 'tags'],
];

/** Parses `params.x` etc. into a column, or null for anything else. */
export function toColumn(field: string): Column | null {
  for (const [kind, prefix] of KINDS) {
    if (field.startsWith(`${prefix}.`) && field.length > prefix.length + 1) return { field, kind, key: field.slice(prefix.length + 1) };
  }
  return null;
}

/** Metric keys with val before test before the rest, each group sorted; a k-fold parent's `.std` keys left out. */
function rankedMetricKeys(keys: string[]): string[] {
  const rank = (k: string) => (k.startsWith('val.') ? 0 : k.startsWith('test.') ? 1 : 2);
  // A k-fold parent's `.std` shows in its mean's cell (mean ± std), not in a column of its own.
  return withoutStdKeys([...keys]).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Every column the filtered runs could fill (the whole set, not one page): metrics, then params, then tags. */
export function availableColumns(stats: RunSetStats): Column[] {
  return [
    ...rankedMetricKeys(stats.metricKeys).map((key) => ({ field: `metrics.${key}`, kind: 'metric' as const, key })),
    ...stats.params.map((p) => ({ field: `params.${p.key}`, kind: 'param' as const, key: p.key })),
    ...stats.tagKeys.map((key) => ({ field: `tags.${key}`, kind: 'tag' as const, key })),
  ];
}

const SPLIT = /^(train|val|test)\./;

/**
 * The experiment's headline metrics: val and test of the monitored metric (the earlyStopping/checkpoint monitor most
 * runs name, else the main metric), then accuracy for classification and RMSE for regression, as logged; at most 4.
 */
export function headlineMetrics(stats: RunSetStats): string[] {
  const keys = new Set(withoutStdKeys(stats.metricKeys));
  const monitored = stats.monitored !== null && keys.has(stats.monitored) ? stats.monitored : mainMetric([...keys]);
  const names = [monitored === null ? null : monitored.replace(SPLIT, ''), 'accuracy', 'rmse'];
  const out: string[] = [];
  for (const name of names) {
    if (name === null) continue;
    for (const key of [`val.${name}`, `test.${name}`]) if (keys.has(key) && !out.includes(key)) out.push(key);
  }
  return out.slice(0, 4);
}

/** Default columns for the whole filtered set (so every page shows the same): headline metrics, then up to 5 ranked varying params. */
export function defaultColumns(stats: RunSetStats): Column[] {
  const metrics = headlineMetrics(stats).map((key) => ({ field: `metrics.${key}`, kind: 'metric' as const, key }));
  const params = rankParams(stats.params, stats.total, stats.swept)
    .slice(0, 5)
    .map((p) => ({ field: `params.${p.key}`, kind: 'param' as const, key: p.key }));
  return [...metrics, ...params];
}

/** A metric's shown value: the kept model's (final), else the last logged one marked `*`. */
export function metricText(m: MetricSummary | undefined): string {
  const { value, label } = summaryValue(m);
  return value === null ? fmtNum(null) : `${fmtNum(value)}${label === 'last' ? '*' : ''}`;
}

/** What a metric column shows, for its header's tooltip. */
export const METRIC_COLUMN_NOTE = "the kept model's value (final); * = the last logged value of a run that kept no model (running, failed, killed)";

/** The display text of a column for a row. */
export function cellText(row: RunRow, col: Column): string {
  if (col.kind === 'metric') return `${metricText(row.metrics[col.key])}${stdSuffix(row.metrics, col.key)}`;
  if (col.kind === 'param') return fmtValue(row.params[col.key]);
  return row.tags[col.key] ?? '';
}
