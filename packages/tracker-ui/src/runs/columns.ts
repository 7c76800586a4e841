/** Which param/metric/tag columns the runs table offers and shows by default. */
import { summaryValue, type MetricSummary, type RunRow } from '../data/store.ts';
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

/** Every column the rows could fill, metrics first (val/test before train), then params, then tags. */
export function availableColumns(rows: RunRow[]): Column[] {
  const keys = { metrics: new Set<string>(), params: new Set<string>(), tags: new Set<string>() };
  for (const r of rows) {
    for (const k of Object.keys(r.metrics)) keys.metrics.add(k);
    for (const k of Object.keys(r.params)) keys.params.add(k);
    for (const k of Object.keys(r.tags)) keys.tags.add(k);
  }
  const rank = (k: string) => (k.startsWith('val.') ? 0 : k.startsWith('test.') ? 1 : 2);
  // A k-fold parent's `.std` shows in its mean's cell (mean ± std), not in a column of its own.
  const metricKeys = withoutStdKeys([...keys.metrics]).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return [
    ...metricKeys.map((key) => ({ field: `metrics.${key}`, kind: 'metric' as const, key })),
    ...[...keys.params].sort().map((key) => ({ field: `params.${key}`, kind: 'param' as const, key })),
    ...[...keys.tags].sort().map((key) => ({ field: `tags.${key}`, kind: 'tag' as const, key })),
  ];
}

/** Default columns: up to 5 metrics and up to 5 params whose values differ between the rows. */
export function defaultColumns(rows: RunRow[], available: Column[]): Column[] {
  const metrics = available.filter((c) => c.kind === 'metric').slice(0, 5);
  const varying = available.filter((c) => c.kind === 'param' && new Set(rows.map((r) => JSON.stringify(r.params[c.key] ?? null))).size > 1);
  return [...metrics, ...varying.slice(0, 5)];
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
