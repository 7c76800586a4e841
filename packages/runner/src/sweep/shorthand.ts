// Hydra-style `--set path=a,b,c` grids: each top-level comma separates one grid value; commas inside
// [..], {..} or quotes belong to the value (`--set x=[1,2],[3,4]` is two lists).
import { parseOverride } from '@kiln/core/spec';

/** Splits `text` at commas that are outside brackets, braces and quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** Reads one value exactly as `--set path=value` would (YAML, falling back to the raw text). */
function readValue(text: string): unknown {
  const o = parseOverride(`x=${text}`);
  return 'value' in o ? o.value : text;
}

/**
 * Separates `--set` overrides with top-level commas (grid axes, values parsed as YAML) from plain
 * ones; null when no override has a top-level comma, so the caller trains a single run.
 */
export function commaGridFromOverrides(overrides: string[]): { grid: Record<string, unknown[]>; rest: string[] } | null {
  const grid: Record<string, unknown[]> = {};
  const rest: string[] = [];
  for (const raw of overrides) {
    const eq = raw.indexOf('=');
    const parts = eq < 0 ? [] : splitTopLevel(raw.slice(eq + 1));
    if (parts.length < 2 || parts.some((p) => p === '')) {
      rest.push(raw);
      continue;
    }
    grid[raw.slice(0, eq).trim()] = parts.map(readValue);
  }
  return Object.keys(grid).length === 0 ? null : { grid, rest };
}

/** A stable key for a parameter point: values compared by JSON, so [1, 2] equals [1, 2]. */
export function pointKey(point: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(point).sort().map((k) => [k, point[k]]));
}

/** Every combination of the grid's axes (first axis slowest), duplicates removed. */
export function cartesian(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = pointKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
