import { category } from './category.ts';
import { date } from './date.ts';
import { image } from './image.ts';
import { numeric } from './numeric.ts';
import { text } from './text.ts';
import type { FeatureHandler, FeatureType } from './types.ts';

/** Feature type -> its preprocessing (fit on train, encode any row). */
export const FEATURES: { [T in FeatureType]: FeatureHandler<T> } = { numeric, category, text, image, date };

/** The handler for a feature type, widened so callers can hold specs and states of any type. */
export function featureHandler(type: FeatureType): FeatureHandler<FeatureType> {
  return FEATURES[type] as unknown as FeatureHandler<FeatureType>;
}

export { encodeTarget, fitTarget, unscaleTarget, unscaleTargets } from './target.ts';
export type { ColumnContext, FeatureHandler } from './types.ts';
