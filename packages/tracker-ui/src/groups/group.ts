/** Splits runs into groups by a Grouping, each labelled by the values that set it apart. */
import type { RunRow } from '../data/store.ts';
import { fmtValue } from '../util/format.ts';
import type { Grouping } from './grouping.ts';

export interface RunGroup {
  /** Stable within one page: the JSON of the group's values (or the k-fold parent's id). */
  key: string;
  label: string;
  /** The member runs: for a k-fold parent, its fold runs. */
  runs: RunRow[];
  /** The k-fold parent whose folds these are, if any. */
  foldParent?: RunRow;
}

function fieldValue(run: RunRow, field: string): unknown {
  const dot = field.indexOf('.');
  const [kind, key] = [field.slice(0, dot), field.slice(dot + 1)];
  return kind === 'params' ? (run.params[key] ?? null) : (run.tags[key] ?? null);
}

/** The values a run is grouped by: the chosen fields, or every param but the excluded ones, or its own id (folds only). */
function groupValues(run: RunRow, g: Grouping): Record<string, unknown> {
  if (g.fields.length > 0) return Object.fromEntries(g.fields.map((f) => [f, fieldValue(run, f)]));
  if (g.except.length > 0) {
    const skip = new Set(g.except.map((f) => f.slice('params.'.length)));
    return Object.fromEntries(Object.keys(run.params).filter((k) => !skip.has(k)).sort().map((k) => [`params.${k}`, run.params[k]]));
  }
  return { run: run.id };
}

/** `field=value` for the fields whose values differ between groups (all fields when only one group). */
function labels(groups: { values: Record<string, unknown>; first: RunRow }[], g: Grouping): string[] {
  if (g.fields.length === 0 && g.except.length === 0) return groups.map((x) => x.first.name);
  const fields = [...new Set(groups.flatMap((x) => Object.keys(x.values)))];
  const differing = fields.filter((f) => new Set(groups.map((x) => JSON.stringify(x.values[f] ?? null))).size > 1);
  const shown = differing.length > 0 ? differing : g.fields;
  return groups.map((x, i) => {
    const parts = shown.slice(0, 3).map((f) => `${f.replace(/^(params|tags)\./, '')}=${fmtValue(x.values[f] ?? null)}`);
    if (shown.length > 3) parts.push(`+${shown.length - 3} more`);
    return parts.length > 0 ? parts.join(', ') : `group ${i + 1}`;
  });
}

/**
 * Groups runs in first-seen order. A k-fold parent (a run whose folds are in `folds`) is a group of
 * its own made of its fold runs, whatever the fields: its folds are repeats of one configuration.
 */
export function groupRuns(runs: RunRow[], g: Grouping, folds: Map<string, RunRow[]> = new Map()): RunGroup[] {
  const plain = new Map<string, { values: Record<string, unknown>; first: RunRow; runs: RunRow[] }>();
  const out: (RunGroup | string)[] = [];
  for (const run of runs) {
    const f = folds.get(run.id);
    if (f !== undefined && f.length > 0) {
      out.push({ key: `folds:${run.id}`, label: `${run.name} (${f.length} folds)`, runs: f, foldParent: run });
      continue;
    }
    const values = groupValues(run, g);
    const key = JSON.stringify(values);
    const hit = plain.get(key);
    if (hit !== undefined) hit.runs.push(run);
    else {
      plain.set(key, { values, first: run, runs: [run] });
      out.push(key);
    }
  }
  const keys = [...plain.keys()];
  const names = labels([...plain.values()], g);
  return out.map((x) => {
    if (typeof x !== 'string') return x;
    const grp = plain.get(x);
    return { key: x, label: names[keys.indexOf(x)] ?? x, runs: grp?.runs ?? [] };
  });
}
