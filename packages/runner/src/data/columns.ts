/**
 * Column selection: a data.features entry with `columns` (a pattern, or "*" for every remaining column) stands
 * for one feature per matching column, all with its type and preprocessing. The match is made once the header
 * is known, recorded in the preprocessing state (`columnGroups`), and expanded the same way wherever the
 * features are needed again (augmentation, predict), so every stage sees the same named features.
 */
import { choiceHint, featureLabel, isColumnGroup, targetsOf, type DataSpec, type FeatureEntrySpec, type FeatureSpec } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { fail } from './table.ts';

/** The columns one group entry took: `feature` is its index in data.features. */
export interface ColumnGroup {
  feature: number;
  columns: string[];
}

/** A pattern as a whole-name regular expression: `*` any run of characters, `?` one character, the rest literal. */
export function patternRegex(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

const listed = (names: readonly string[], max = 12) => `${names.slice(0, max).join(', ')}${names.length > max ? `, ... (${names.length} in all)` : ''}`;

/** The header columns an exclude list leaves out; each entry must match a column (a typo would silently exclude nothing). */
function excludedBy(patterns: readonly string[], columns: readonly string[], path: string): Set<string> {
  const out = new Set<string>();
  patterns.forEach((p, k) => {
    const re = patternRegex(p);
    const hits = columns.filter((c) => re.test(c));
    if (hits.length === 0) fail('data/exclude-no-match', `${path}.exclude[${k}]`, `exclude ${JSON.stringify(p)} matches no column`, choiceHint(p, columns));
    for (const c of hits) out.add(c);
  });
  return out;
}

/**
 * Which columns each group entry of data.features takes, in header order. Never taken: the targets, columns
 * named by other features, data.split.column and data.split.by, and columns an earlier pattern took; "*" groups come last, so
 * they take what every pattern left. A group that takes nothing is a located error.
 */
export function selectColumns(data: DataSpec, columns: readonly string[]): ColumnGroup[] {
  const { column, by } = data.split;
  const taken = new Set<string>([...targetsOf(data).map((t) => t.name), ...[column, by].filter((c): c is string => c !== undefined)]);
  for (const f of data.features) if (!isColumnGroup(f) && f.name !== undefined) taken.add(f.name);
  const groups = data.features.flatMap((f, i) => (isColumnGroup(f) ? [{ f, i }] : []));
  const order = [...groups.filter((g) => g.f.columns !== '*'), ...groups.filter((g) => g.f.columns === '*')];
  const picked = new Map<number, string[]>();
  for (const { f, i } of order) {
    const path = `data.features[${i}]`;
    const re = patternRegex(f.columns);
    const excluded = excludedBy(f.exclude ?? [], columns, path);
    const matching = columns.filter((c) => re.test(c) && !excluded.has(c));
    const chosen = matching.filter((c) => !taken.has(c));
    if (chosen.length === 0) {
      const why = matching.length > 0 ? `only columns used elsewhere (${listed(matching)})` : 'no column';
      fail('data/columns-no-match', `${path}.columns`, `columns ${JSON.stringify(f.columns)} matches ${why}`, `the columns are: ${listed(columns)}`);
    }
    for (const c of chosen) taken.add(c);
    picked.set(i, chosen);
  }
  return groups.map(({ i }) => ({ feature: i, columns: must(picked.get(i), 'every group was matched') }));
}

/** The named features the entries stand for, in order, and for each the index of its data.features entry (for error paths). */
export function expandFeatures(entries: readonly FeatureEntrySpec[], groups: readonly ColumnGroup[]): { features: FeatureSpec[]; entry: number[] } {
  const features: FeatureSpec[] = [];
  const entry: number[] = [];
  entries.forEach((f, i) => {
    const names = isColumnGroup(f) ? (groups.find((g) => g.feature === i)?.columns ?? []) : [must(f.name, `${featureLabel(f)} has a name (validated)`)];
    for (const name of names) {
      features.push(named(f, name));
      entry.push(i);
    }
  });
  return { features, entry };
}

/** An entry as the feature of one column: its options with this name, without the selection keys. */
function named(f: FeatureEntrySpec, name: string): FeatureSpec {
  const out: Record<string, unknown> = { ...f, name };
  delete out.columns;
  delete out.exclude;
  // The entry's own fields with a name and no selection keys: exactly FeatureSpec's shape for its type.
  return out as FeatureSpec;
}

/** The named features of a pipeline whose columns a fitted state recorded (augmentation, transfer, predict). */
export function featuresOfState(entries: readonly FeatureEntrySpec[], state: { columnGroups?: ColumnGroup[] }): FeatureSpec[] {
  return expandFeatures(entries, state.columnGroups ?? []).features;
}
