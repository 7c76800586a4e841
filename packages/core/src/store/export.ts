/** Exporting listed runs as flat rows and CSV (cells that a spreadsheet would run as formulas are neutralised). */
import type { Store } from './open.ts';
import { listRuns, summaryValue, type ListRunsOptions, type RunRow } from './query.ts';

export type ExportRow = Record<string, string | number | boolean | null>;

/** Flattens a run row: fixed columns, then `metrics.<key>` (the final value: the kept model's, else the last logged), `params.<key>`, `tags.<key>`. */
export function flattenRunRow(r: RunRow): ExportRow {
  const out: ExportRow = {
    id: r.id,
    name: r.name,
    pipeline: r.pipeline,
    keptEpoch: r.keptEpoch,
    foldParentId: r.foldParentId,
    fold: r.fold,
    experiment: r.experiment,
    status: r.status,
    startedAt: new Date(r.startedAt).toISOString(),
    endedAt: r.endedAt === null ? null : new Date(r.endedAt).toISOString(),
    durationMs: r.durationMs,
    failureReason: r.failureReason,
  };
  for (const [k, m] of Object.entries(r.metrics)) out[`metrics.${k}`] = summaryValue(m).value;
  for (const [k, v] of Object.entries(r.params)) out[`params.${k}`] = typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean | null);
  for (const [k, v] of Object.entries(r.tags)) out[`tags.${k}`] = v;
  return out;
}

/** More rows than any store holds: the export is one listing, not pages (a filtered, sorted page re-ran the filter and the sort each time). */
const EVERY_RUN = 2 ** 31 - 1;

/** Every run matching the options, in their order: the matching ids in one query, their rows read in chunks (run-rows.ts). */
export async function allRuns(store: Store, opts: Omit<ListRunsOptions, 'limit' | 'offset'> = {}): Promise<RunRow[]> {
  return (await listRuns(store, { ...opts, limit: EVERY_RUN, offset: 0 })).runs;
}

/** All runs matching the options, flattened. */
export async function exportRuns(store: Store, opts: Omit<ListRunsOptions, 'limit' | 'offset'> = {}): Promise<ExportRow[]> {
  return (await allRuns(store, opts)).map(flattenRunRow);
}

/** One CSV cell: formula-looking text gets a leading quote, then RFC 4180 quoting. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV with the union of their columns as the header. */
export function toCsv(rows: ExportRow[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      columns.push(k);
    }
  }
  const lines = [columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
