/** Cross-field checks of k-fold cross-validation (`data.split.folds`). */
import { formatPath, getAt, type PathSegments } from './path.ts';
import type { PipelineSpec } from './schema/pipeline.ts';
import type { SchemaProblem } from './validate.ts';

const SPLIT: PathSegments = ['data', 'split'];

const problem = (segments: PathSegments, message: string, hint: string): SchemaProblem => ({ code: 'check/split-folds', path: formatPath(segments), segments, at: 'key', message, hint });

/**
 * With `folds`, the rows not held out for `test` are divided into folds, so `train`/`val` fractions and a split `column`
 * have no meaning; they are refused where written (`raw`: the spec before defaults, so a default is not mistaken for
 * the user's). `fold` picks one fold and needs `folds`.
 */
export function checkSplitFolds({ data: { split } }: PipelineSpec, raw: unknown): SchemaProblem[] {
  const given = (key: string) => getAt(raw, [...SPLIT, key]) !== undefined;
  if (split.folds === undefined) {
    return split.fold === undefined ? [] : [problem([...SPLIT, 'fold'], 'data.split.fold needs data.split.folds', 'give folds: K (K >= 2) to cross-validate, or drop fold')];
  }
  const allowed = 'with folds, give only test (the held-out fraction), seed and stratify: e.g. split: { folds: 5, test: 0.15 }';
  const clashes = (['train', 'val', 'column', 'by'] as const).filter(given).map((key) => problem([...SPLIT, key], `data.split.${key} cannot be combined with data.split.folds`, allowed));
  if (split.fold !== undefined && split.fold > split.folds) clashes.push(problem([...SPLIT, 'fold'], `data.split.fold is ${split.fold}, but there are ${split.folds} folds`, `pick a fold from 1 to ${split.folds}`));
  if (split.test >= 1) clashes.push(problem([...SPLIT, 'test'], `data.split.test is ${split.test}: no rows would be left for the folds`, 'hold out a fraction below 1, e.g. test: 0.15'));
  return clashes;
}

/** A warning: a k-fold trial is scored by its folds' mean once every fold finished, so a pruner has no curve to judge it by. */
export function warnFoldsNotPruned({ sweep, data: { split } }: PipelineSpec): SchemaProblem[] {
  if (!sweep || split.folds === undefined || split.fold !== undefined || sweep.pruner.type === 'none') return [];
  return [
    {
      code: 'warn/sweep-folds-pruner',
      path: 'sweep.pruner',
      segments: ['sweep', 'pruner'],
      at: 'key',
      message: `each trial cross-validates in ${split.folds} folds, so the ${sweep.pruner.type} pruner is not applied: a trial is scored by its folds' mean once every fold finished`,
      hint: 'set pruner: { type: none } to say so, or drop data.split.folds to prune single runs',
    },
  ];
}
