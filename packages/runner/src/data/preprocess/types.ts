import type { FeatureSpec } from '@kiln/core';
import type { FeatureState } from '../types.ts';

export type FeatureType = FeatureSpec['type'];
export type SpecOf<T extends FeatureType> = Extract<FeatureSpec, { type: T }>;
export type StateOf<T extends FeatureType> = Extract<FeatureState, { type: T }>;

/** Where a feature's values come from, for error messages: its spec path and the source's line numbers. */
export interface ColumnContext {
  /** Spec path of the feature, e.g. `data.features[2]`. */
  path: string;
  lines?: Int32Array;
}

/**
 * One feature type's preprocessing: fit statistics on the train values only, then encode any row with them.
 * `values[k]` belongs to source row `ids[k]` (used to name rows in errors).
 */
export interface FeatureHandler<T extends FeatureType> {
  fit(spec: SpecOf<T>, values: unknown[], ids: Int32Array, ctx: ColumnContext): StateOf<T>;
  /** Shape of this feature's values for one row. */
  shape(state: StateOf<T>): number[];
  dtype(state: StateOf<T>): 'float32' | 'int32';
  /** Whether a row with this value is dropped (numeric `missing: drop`). */
  drops?(state: StateOf<T>, value: unknown): boolean;
  /** Writes the row's values into out[offset ... offset + prod(shape)). `row` is the source row number. */
  encode(state: StateOf<T>, value: unknown, out: Float32Array | Int32Array, offset: number, row: number, ctx: ColumnContext): void;
}
