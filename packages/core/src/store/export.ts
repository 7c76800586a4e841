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

/** All runs matching the options (every page), flattened. */
export async function exportRuns(store: Store, opts: Omit<ListRunsOptions, 'limit' | 'offset'> = {}): Promise<ExportRow[]> {
  const out: ExportRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await listRuns(store, { ...opts, limit: 500, offset });
    out.push(...page.runs.map(flattenRunRow));
    if (page.runs.length < 500) return out;
  }
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
