/** train.classWeights resolved against the classes the data stage found: one weight per class of each classification target. */
import { choiceHint } from '@kiln/core/spec/suggest';
import { KilnFailure, kilnError, must } from '@kiln/core/errors';
import type { TrainSpec } from '@kiln/core';
import type { TargetInfo } from '../data/types.ts';

const PATH = 'train.classWeights';

const refuse = (message: string, hint: string, path = PATH): never => {
  throw new KilnFailure(kilnError('train/class-weights', path, message, hint));
};

/** balanced: n / (k * count of the class) on the train split (scikit-learn's compute_class_weight), so each class weighs n / k in all. */
export function balancedWeights(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (c > 0 ? n / (counts.length * c) : 1));
}

/** A map's weights in class order (classes it does not name weigh 1); a key that is no class is a located error listing the classes. */
function mappedWeights(map: Record<string, number>, target: TargetInfo): number[] {
  const classes = target.classes ?? [];
  for (const name of Object.keys(map)) {
    if (!classes.includes(name)) refuse(`"${name}" is not a class of the target "${target.name}" (its classes: ${classes.join(', ')})`, choiceHint(name, classes), /^[A-Za-z0-9_-]+$/.test(name) ? `${PATH}.${name}` : PATH);
  }
  return classes.map((c) => map[c] ?? 1);
}

/**
 * Per target (in the prepared targets' order), its class weights, or undefined for a regression target or without
 * train.classWeights. A map needs exactly one classification target: its keys are that target's class values.
 */
export function classWeightsOf(spec: TrainSpec['classWeights'], targets: readonly TargetInfo[]): (number[] | undefined)[] {
  if (spec === undefined) return targets.map(() => undefined);
  const classified = targets.filter((t) => t.type !== 'regression');
  if (classified.length === 0) refuse('class weights need a classification target; every target here is a regression target', 'remove train.classWeights');
  if (spec === 'balanced') return targets.map((t) => (t.type === 'regression' ? undefined : balancedWeights(must(t.counts, 'a classification target records its train counts'))));
  if (classified.length > 1) refuse(`a map of class weights names the classes of one target, and there are ${classified.length} classification targets (${classified.map((t) => t.name).join(', ')})`, 'use classWeights: balanced, which weighs each classification target by its own counts');
  return targets.map((t) => (t.type === 'regression' ? undefined : mappedWeights(spec, t)));
}

/** The weights as run params: train.classWeight.<class> (or train.classWeight.<target>.<class> with several targets). */
export function classWeightParams(targets: readonly TargetInfo[], weights: readonly (number[] | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  targets.forEach((t, j) => {
    const prefix = targets.length > 1 ? `train.classWeight.${t.name}.` : 'train.classWeight.';
    weights[j]?.forEach((w, c) => {
      out[`${prefix}${t.classes?.[c] ?? c}`] = w;
    });
  });
  return out;
}
