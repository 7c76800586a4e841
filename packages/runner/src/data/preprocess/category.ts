import { isMissing } from '../table.ts';
import type { FeatureHandler, StateOf } from './types.ts';

type State = StateOf<'category'>;

/** Placeholder at categories[0]: the out-of-vocabulary bucket (unseen or missing values). */
export const OOV = '<OOV>';

const key = (v: unknown) => String(v);
const lookups = new WeakMap<State, Map<string, number>>();

/** Value -> index (1-based; 0 = OOV), built once per state. */
function indexOf(s: State, v: unknown): number {
  let m = lookups.get(s);
  if (!m) lookups.set(s, (m = new Map(s.categories.slice(1).map((c, i) => [c, i + 1]))));
  return isMissing(v) ? 0 : (m.get(key(v)) ?? 0);
}

/**
 * A category column. The category list is the train values sorted (or the maxCategories most frequent, ties
 * alphabetical, then sorted), after an OOV placeholder at index 0. oneHot has one column per category and NO OOV
 * column: an unseen or missing value is all zeros (as the PyTorch reference's penguins encoding). index gives the
 * int id (0 = OOV) for an embedding.
 */
export const category: FeatureHandler<'category'> = {
  fit(spec, values) {
    const counts = new Map<string, number>();
    for (const v of values) if (!isMissing(v)) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
    let cats = [...counts.keys()];
    if (spec.maxCategories !== undefined && cats.length > spec.maxCategories)
      cats = cats.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1)).slice(0, spec.maxCategories);
    cats.sort();
    return { name: spec.name, type: 'category', encoding: spec.encoding, categories: [OOV, ...cats] };
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
