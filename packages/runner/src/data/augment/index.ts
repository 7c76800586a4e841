/** Train-split augmentation: one augmenter per pipeline from the features' `augment` settings, seeded per epoch. */
import type { FeatureSpec } from '@kiln/core';
import { mulberry32 } from '../../random/rng.ts';
import { deriveSeed } from '../../random/seeds.ts';
import type { FeatureState, PreprocessState } from '../types.ts';
import { augmentImages } from './image.ts';
import { augmentTokens } from './text.ts';
import { date } from '../preprocess/date.ts';

/** Changes the train rows of one epoch in place: x holds n rows laid out as the model input. */
export type Augmenter = (x: Float32Array | Int32Array, n: number, epoch: number) => void;

/** How many input values one feature takes in a row. */
function featureWidth(f: FeatureState): number {
  if (f.type === 'numeric') return 1;
  if (f.type === 'category') return f.encoding === 'index' ? 1 : f.categories.length;
  if (f.type === 'text') return f.maxLength;
  if (f.type === 'date') return date.shape(f).reduce((a, b) => a * b, 1);
  return f.shape.reduce((a, b) => a * b, 1);
}

/** The augmenter for these features, or undefined when none asks for augmentation. */
export function makeAugmenter(features: FeatureSpec[], state: PreprocessState, seed: number): Augmenter | undefined {
  const rowSize = state.inputShape.reduce((a, b) => a * b, 1);
  const steps: ((x: Float32Array | Int32Array, n: number, random: () => number) => void)[] = [];
  let offset = 0;
  state.features.forEach((fs, i) => {
    const spec = features[i];
    const at = offset;
    if (spec?.type === 'image' && spec.augment && fs.type === 'image') {
      const aug = spec.augment;
      steps.push((x, n, r) => augmentImages(x as Float32Array, n, rowSize, at, fs.shape, aug, r));
    }
    if (spec?.type === 'text' && spec.augment && fs.type === 'text') {
      const aug = spec.augment;
      steps.push((x, n, r) => augmentTokens(x as Int32Array, n, rowSize, at, fs.maxLength, aug, r));
    }
    offset += featureWidth(fs);
  });
  if (steps.length === 0) return undefined;
  return (x, n, epoch) => {
    const random = mulberry32(deriveSeed(seed, 'augment', epoch));
    for (const step of steps) step(x, n, random);
  };
}
