import { isMissingValue } from '@kiln/core/catalog';
import type { FeatureHandler, SpecOf, StateOf } from './types.ts';

type State = StateOf<'category'>;

/** Placeholder at categories[0]: the out-of-vocabulary bucket (unseen, rare or missing values). */
export const OOV = '<OOV>';

/** How a value is compared: as text, trimmed and case-folded when the feature asks (a state without the flags compares as written). */
function keyOf(s: Pick<State, 'trim' | 'lowercase'>, v: unknown): string {
  let k = String(v);
  if (s.trim === true) k = k.trim();
  return s.lowercase === true ? k.toLowerCase() : k;
}

const lookups = new WeakMap<State, Map<string, number>>();

/** Value -> index (1-based; 0 = OOV), built once per state. */
function indexOf(s: State, v: unknown): number {
  let m = lookups.get(s);
  if (!m) lookups.set(s, (m = new Map(s.categories.slice(1).map((c, i) => [c, i + 1]))));
  return isMissingValue(v, s.missingValues) ? 0 : (m.get(keyOf(s, v)) ?? 0);
}

/** The categories kept from the train counts: at least minCount rows each, at most the maxCategories most frequent (ties alphabetical), sorted. */
function keptCategories(spec: SpecOf<'category'>, counts: Map<string, number>): string[] {
  const count = (c: string) => counts.get(c) ?? 0;
  let cats = [...counts.keys()].filter((c) => count(c) >= (spec.minCount ?? 1));
  if (spec.maxCategories !== undefined && cats.length > spec.maxCategories) cats = cats.sort((a, b) => count(b) - count(a) || (a < b ? -1 : 1)).slice(0, spec.maxCategories);
  return cats.sort();
}

/**
 * A category column. Values are compared trimmed (trim, default on) and case-folded (lowercase, default off);
 * missing cells (see missingValues) and values seen fewer than minCount times in train go to the OOV bucket.
 * The category list is the train values sorted (or the maxCategories most frequent, ties alphabetical, then
 * sorted), after an OOV placeholder at index 0. oneHot has one column per category and NO OOV column: an OOV
 * value is all zeros (as the PyTorch reference's penguins encoding). index gives the int id (0 = OOV) for an embedding.
 */
export const category: FeatureHandler<'category'> = {
  fit(spec, values) {
    const norm = { trim: spec.trim ?? true, lowercase: spec.lowercase ?? false };
    const counts = new Map<string, number>();
    for (const v of values) {
      if (isMissingValue(v, spec.missingValues)) continue;
      const k = keyOf(norm, v);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const markers = spec.missingValues ? { missingValues: spec.missingValues } : {};
    return { name: spec.name, type: 'category', encoding: spec.encoding, categories: [OOV, ...keptCategories(spec, counts)], ...norm, ...markers };
  },
  shape: (s) => [s.encoding === 'oneHot' ? s.categories.length - 1 : 1],
  dtype: (s) => (s.encoding === 'oneHot' ? 'float32' : 'int32'),
  encode(s, v, out, offset) {
    const i = indexOf(s, v);
    if (s.encoding === 'index') out[offset] = i;
    else {
      out.fill(0, offset, offset + s.categories.length - 1);
      if (i > 0) out[offset + i - 1] = 1;
    }
  },
};
