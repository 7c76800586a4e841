/** Display formatting shared by the CLI and the UI: numbers, durations, timestamps. */

/** A number to at most 4 significant digits (integers stay whole); '' for null/undefined. */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const abs = Math.abs(v);
  // rounded to 4 digits first, so 0.0007 reads 7e-4 and not 7.000e-4
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return Number(v.toPrecision(4)).toExponential();
  return String(Number(v.toPrecision(4)));
}

/** Milliseconds as `1h 02m`, `3m 04s` or `5.2s`. */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Epoch ms as `YYYY-MM-DD HH:MM:SS` in UTC, so pages read the same wherever they are served. */
export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Any param value as display text (objects and arrays as JSON). */
export function fmtValue(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
