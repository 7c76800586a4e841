/** Cross-field check of the time-ordered split (`data.split.by`). */
import { formatPath } from './path.ts';
import type { PipelineSpec } from './schema/pipeline.ts';
import type { SchemaProblem } from './validate.ts';

/**
 * `by` orders the rows by a date and takes the fractions in that order; a split `column` already says where every
 * row goes, so the two together are refused at `by`. (`by` with `folds` is refused by the folds check.)
 */
export function checkSplitBy({ data: { split } }: PipelineSpec): SchemaProblem[] {
  if (split.by === undefined || split.column === undefined) return [];
  const segments = ['data', 'split', 'by'];
  return [
    {
      code: 'check/split-by',
      path: formatPath(segments),
      segments,
      at: 'key',
      message: 'data.split.by cannot be combined with data.split.column',
      hint: 'by orders the rows by a date and takes train, val and test fractions in that order; column names each row\'s split itself: keep one of them',
    },
  ];
}
