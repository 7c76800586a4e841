/**
 * Rows left out before the split because a value is missing: a missing target (`target.missing: drop`, the
 * default; `error` fails at the first such row), and a missing value of a feature with `missing: drop`. Only
 * the spec decides, so the same rows go whatever the split. Missing means the markers of @kiln/core/catalog:
 * the feature's `missingValues`, else the source's, else the defaults.
 */
import { targetsOf, type DataSpec, type FeatureSpec, type SourceSpec } from '@kiln/core';
import { isMissingValue, missingMarkers } from '@kiln/core/catalog';
import { cellOf, fail, rowLabel, type Table } from './table.ts';

/** The source's own missing markers (file sources may list them), or undefined for the defaults. */
export function sourceMarkers(source: SourceSpec): readonly string[] | undefined {
  return 'missingValues' in source ? source.missingValues : undefined;
}

/** Features with the source's markers filled in where the feature lists none, so fitted states carry the markers they used. */
export function withSourceMarkers(features: FeatureSpec[], source: SourceSpec): FeatureSpec[] {
  const markers = sourceMarkers(source);
  if (markers === undefined) return features;
  return features.map((f) => ((f.type === 'numeric' || f.type === 'category' || f.type === 'date' || f.type === 'text') && f.missingValues === undefined ? { ...f, missingValues: [...markers] } : f));
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * The rows of `ids` that have every target and every `missing: drop` feature value, and a warning for each
 * reason rows went (how many, of how many). A target with `missing: error` fails naming the first row without one.
 */
export function dropMissingRows(data: DataSpec, features: FeatureSpec[], table: Table, ids: Int32Array): { ids: Int32Array; warnings: string[] } {
  const source = sourceMarkers(data.source);
  const warnings: string[] = [];
  const total = ids.length;
  targetsOf(data).forEach((t, j) => {
    const missing = (i: number) => isMissingValue(cellOf(table, i, t.name), source);
    const path = data.targets ? `data.targets[${j}]` : 'data.target';
    if (t.missing === 'error') {
      const first = ids.find(missing);
      if (first !== undefined) fail('data/missing-target', `${path}.missing`, `${rowLabel(first, table.lines)} has no value in the target column "${t.name}"`, 'fill it in, or set missing: drop on the target to leave rows without one out (with a warning that counts them)');
      return;
    }
    const before = ids.length;
    ids = ids.filter((i) => !missing(i));
    if (ids.length < before) warnings.push(`dropped ${plural(before - ids.length, 'row')} of ${total} whose target "${t.name}" is missing (${path}.missing: drop)`);
  });
  for (const f of features) {
    if ((f.type !== 'numeric' && f.type !== 'date') || f.missing !== 'drop') continue;
    const markers = missingMarkers(f.missingValues, source);
    const before = ids.length;
    ids = ids.filter((i) => !isMissingValue(cellOf(table, i, f.name), markers));
    if (ids.length < before) warnings.push(`dropped ${plural(before - ids.length, 'row')} of ${total} with no value in column "${f.name}" (missing: drop)`);
  }
  return { ids, warnings };
}
