import { choiceHint } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { featureHandler } from './preprocess/index.ts';
import { cellOf, fail, tableFromRows, type Row, type Table } from './table.ts';
import type { FeatureState, PreprocessState } from './types.ts';

const featurePath = (i: number) => `data.features[${i}]`;

/** The model input: one example's shape and dtype, and each feature's values per row. */
export function inputLayout(features: FeatureState[]): { inputShape: number[]; inputDtype: 'float32' | 'int32'; widths: number[] } {
  const shapes = features.map((f) => featureHandler(f.type).shape(f));
  const dtypes = new Set(features.map((f) => featureHandler(f.type).dtype(f)));
  if (dtypes.size > 1) fail('data/mixed-features', 'data.features', 'token-id features (text, category with encoding: index) cannot be mixed with numeric, one-hot or image features in one input', 'use encoding: oneHot for the categories, or a single text feature');
  const widths = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const [only, ...others] = features;
  const [onlyShape] = shapes;
  // A single image or text feature keeps its own shape; anything else is one flat row.
  const inputShape = only && others.length === 0 && onlyShape && (only.type === 'image' || only.type === 'text') ? onlyShape : [widths.reduce((a, b) => a + b, 0)];
  // No features (an input that takes none) means no values: float32, as numeric features are.
  return { inputShape, inputDtype: [...dtypes][0] ?? 'float32', widths };
}

/** The entries of `all` at `indices`: an input's features by data.features position (validation checked every name). */
export function featuresAt<T>(all: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => must(all[i], `feature ${i} of an input is one of data.features`));
}

/** Fails with did-you-mean when a named column is not in the data. */
export function requireColumn(name: string, columns: readonly string[], path: string): void {
  if (!columns.includes(name)) fail('data/missing-column', path, `column "${name}" is not in the data`, choiceHint(name, columns));
}

/** Which of the given rows survive numeric `missing: drop` features. */
export function keptRows(features: FeatureState[], rows: Table, ids: Int32Array): Int32Array {
  const droppers = features.filter((f) => (f.type === 'numeric' || f.type === 'date') && f.missing === 'drop');
  if (droppers.length === 0) return ids;
  return ids.filter((i) => !droppers.some((f) => featureHandler(f.type).drops?.(f, cellOf(rows, i, f.name)) ?? false));
}

/** Encodes rows `ids` of the table `rows` into one row-major array, feature after feature; `specIndex` maps each to its data.features place (for error paths). */
export function encodeRows(features: FeatureState[], rows: Table, ids: Int32Array, lines?: Int32Array, specIndex?: number[]): Float32Array | Int32Array {
  const { inputDtype, widths } = inputLayout(features);
  const rowWidth = widths.reduce((a, b) => a + b, 0);
  const out = inputDtype === 'int32' ? new Int32Array(ids.length * rowWidth) : new Float32Array(ids.length * rowWidth);
  let col = 0;
  features.forEach((f, j) => {
    const h = featureHandler(f.type);
    const ctx = { path: featurePath(specIndex?.[j] ?? j), lines };
    ids.forEach((id, k) => h.encode(f, cellOf(rows, id, f.name), out, k * rowWidth + col, id, ctx));
    col += must(widths[j], 'one width per feature');
  });
  return out;
}

/**
 * Predict-time transform with a saved state: rows need the feature columns, not the target. Rows dropped by
 * `missing: drop` are left out; `rows` lists the input positions that were kept.
 */
export function transformRows(state: PreprocessState, input: Table | readonly Row[]): { x: Float32Array | Int32Array; xs: (Float32Array | Int32Array)[]; inputShape: number[]; rows: Int32Array } {
  const rows = 'column' in input ? input : tableFromRows(input);
  if (rows.length > 0) state.features.forEach((f, j) => requireColumn(f.name, rows.columns, `${featurePath(j)}.name`));
  const kept = keptRows(state.features, rows, Int32Array.from({ length: rows.length }, (_, i) => i));
  const xs = state.inputs
    ? state.inputs.map((x) => encodeRows(featuresAt(state.features, x.features), rows, kept, undefined, x.features))
    : [encodeRows(state.features, rows, kept)];
  return { x: must(xs[0], 'a model has at least one input'), xs, inputShape: [...state.inputShape], rows: kept };
}
