/**
 * Metric rows sent to PostgreSQL with COPY FROM STDIN (text format) instead of an INSERT: the server
 * reads rows straight off the wire, without parsing parameter arrays or planning a statement.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MetricRow, Renderable } from './dialect.ts';

/** A statement the PostgreSQL batch runner sends as COPY; its SQL form is the equivalent INSERT. */
export interface CopyStatement extends Renderable {
  copy: { command: string; data: string };
}

/** True for statements built by copyStatement. */
export function isCopy(stmt: Renderable): stmt is CopyStatement {
  return 'copy' in stmt;
}

/** Text-format field: backslash, tab, newline and carriage return escaped; null as \N. */
function field(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string) : v;
}

/** The COPY data for one run's metric rows (columns run_id, key, step, epoch, value, wall_time). */
export function metricCopyData(runId: string, rows: MetricRow[]): string {
  const run = field(runId);
  // A flush holds few distinct keys: escape each once.
  const keys = new Map<string, string>();
  let out = '';
  for (const [key, step, epoch, value, wallTime] of rows) {
    let k = keys.get(key);
    if (k === undefined) keys.set(key, (k = field(key)));
    out += `${run}\t${k}\t${step}\t${epoch === null ? '\\N' : epoch}\t${value === null ? '\\N' : value}\t${wallTime}\n`;
  }
  return out;
}

/** A COPY with its equivalent INSERT, built only if something asks for the SQL. */
export function copyStatement(insert: () => Renderable, command: string, data: string): CopyStatement {
  return { getSQL: () => insert().getSQL(), copy: { command, data } };
}

/** Runs one COPY FROM STDIN on a client (inside the caller's transaction). */
export function runCopy(client: pg.PoolClient, stmt: CopyStatement): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(stmt.copy.command));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(stmt.copy.data);
  });
}
