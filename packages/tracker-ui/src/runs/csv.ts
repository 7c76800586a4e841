/**
 * The runs table as CSV: every run of the filtered, sorted set (all pages), the table's fixed columns and the shown
 * ones. Cells go through core's toCsv, the same formula neutralisation as `kiln export`.
 */
import { allRuns, csvCell, runHosts, summaryValue, toCsv, type ExportRow, type RunRow, type Store } from '../data/store.ts';
import type { Column } from './columns.ts';
import { queryOf } from './load.ts';
import type { RunsState } from './state.ts';

/** Runs per host lookup (an IN list). */
const BATCH = 1000;

function cell(row: RunRow, col: Column): string | number | boolean | null {
  if (col.kind === 'metric') return summaryValue(row.metrics[col.key]).value;
  if (col.kind === 'tag') return row.tags[col.key] ?? null;
  const v = row.params[col.key];
  return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
}

const FIXED = ['id', 'name', 'experiment', 'status', 'startedAt', 'durationMs', 'host'];
// A metric is the kept model's value (final), else the last logged: the header says which the table shows.
const header = (col: Column) => (col.kind === 'metric' ? `final ${col.field}` : col.field);

function flat(row: RunRow, host: string | null, columns: Column[]): ExportRow {
  const out: ExportRow = {
    id: row.id,
    name: row.name,
    experiment: row.experiment,
    status: row.status,
    startedAt: new Date(row.startedAt).toISOString(),
    durationMs: row.durationMs,
    host,
  };
  for (const col of columns) out[header(col)] = cell(row, col);
  return out;
}

/** The CSV text of every run the state's filter selects, in its sort order, with `columns`. */
export async function runsCsv(store: Store, state: RunsState, columns: Column[]): Promise<string> {
  const runs = await allRuns(store, queryOf(state));
  const rows: ExportRow[] = [];
  for (let i = 0; i < runs.length; i += BATCH) {
    const batch = runs.slice(i, i + BATCH);
    const hosts = await runHosts(store, batch.map((r) => r.id));
    rows.push(...batch.map((r) => flat(r, hosts.get(r.id) ?? null, columns)));
  }
  if (rows.length > 0) return toCsv(rows);
  // No runs: still the header, so a spreadsheet opens with the columns named.
  return `${[...FIXED, ...columns.map(header)].map(csvCell).join(',')}\r\n`;
}
