import { Type } from '@sinclair/typebox';
import { MISSING_RULE } from '../../catalog/missing.ts';
import { opt, str } from '../fields.ts';
import type { FeatureEntrySpec } from './data.ts';

/** `missingValues` on a source or a feature: the markers that count as missing there. */
export const missingValues = (where: 'source' | 'feature') =>
  opt(
    Type.Array(Type.String(), {
      description:
        where === 'source'
          ? `Cells that count as missing in every column of this source, replacing the default markers. ${MISSING_RULE} A feature's own missingValues replaces this list for its column.`
          : `Cells that count as missing in this column, replacing the source's missingValues or the default markers; matched after trimming spaces, ignoring case; an empty cell and JSON null are always missing.`,
    }),
  );

/**
 * The keys that pick a feature's columns: one column by `name`, or a group by `columns` (a pattern), with
 * `exclude`. Spread into a feature's properties and pass `COLUMN_CHOICE` as its schema options.
 */
export const columnSelection = {
  name: opt(str('Column name in the data (give name for one column, or columns for a group).', { minLength: 1 })),
  columns: opt(
    str(
      'A group of columns with this type and preprocessing, instead of one name: "*" for every column that no other feature, target, data.split.column or data.split.by uses, or a pattern where * matches any run of characters and ? one character (pixel*, x_??); matched against the header once the data is read, in file order. A pattern matching no column is an error; the columns used are recorded with the run.',
      { minLength: 1 },
    ),
  ),
  exclude: opt(Type.Array(str('A column name or pattern to leave out of the group.', { minLength: 1 }), { description: 'With columns: names or patterns of columns to leave out of the group, e.g. [id, pixel_783]; each must match a column.', minItems: 1 })),
};

/** Schema options of a feature with columnSelection: exactly one of name and columns; exclude only with columns. */
export const COLUMN_CHOICE = {
  oneOf: [
    { properties: { name: true }, required: ['name'] },
    { properties: { columns: true }, required: ['columns'] },
  ],
  dependencies: { exclude: ['columns'] },
};

/** Whether a data.features entry is a group of columns (`columns:`) rather than one named column. */
export function isColumnGroup(f: FeatureEntrySpec): f is Extract<FeatureEntrySpec, { columns?: string }> & { columns: string } {
  return 'columns' in f && typeof f.columns === 'string';
}

/** How messages name a data.features entry: its column, or its pattern. */
export function featureLabel(f: FeatureEntrySpec): string {
  return isColumnGroup(f) ? `columns ${JSON.stringify(f.columns)}` : (f.name ?? '?');
}
