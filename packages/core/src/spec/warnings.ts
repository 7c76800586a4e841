/**
 * What a sweep scores, checked at load: a test-split objective is refused, and a sweep metric that
 * differs from the metric early stopping keeps the model by gets a warning saying what will happen.
 */
import type { PathSegments } from './path.ts';
import type { PipelineSpec } from './schema/pipeline.ts';
import { splitMetricKey } from './heads.ts';
import type { SchemaProblem } from './validate.ts';
import { warnFoldsNotPruned } from './split-folds.ts';
import { fillDefaults, type SchemaNode } from './defaults.ts';
import { Gp, Tpe } from './schema/sweep.ts';

type Rule = (spec: PipelineSpec) => SchemaProblem[];

const at = (code: string, segments: PathSegments, message: string, hint: string): SchemaProblem => ({ code, path: segments.join('.'), segments, at: 'value', message, hint });

/** An error: tuning on the test split leaves the run no unbiased estimate of how the chosen model does. */
export const sweepNotOnTest: Rule = ({ sweep }) => {
  if (!sweep || splitMetricKey(sweep.metric)[0] !== 'test') return [];
  const val = `val.${splitMetricKey(sweep.metric)[1]}`;
  return [at('check/sweep-on-test', ['sweep', 'metric'], `${sweep.metric} tunes the hyperparameters on the test split`, `optimize ${val}; the test split is for the final, untouched estimate of the best trial (its run reports test.* too)`)];
};

/** A warning: trials keep the epoch early stopping picks, so the sweep scores its metric at that epoch, not at the metric's own best. */
const sweepScoresKeptEpoch: Rule = ({ sweep, train }) => {
  const es = train.earlyStopping;
  if (!sweep || !es?.restoreBestWeights || es.monitor === sweep.metric) return [];
  return [
    at(
      'warn/sweep-monitor',
      ['sweep', 'metric'],
      `each trial keeps the epoch with the best ${es.monitor} (train.earlyStopping.monitor, restoreBestWeights), so the sweep scores ${sweep.metric} at that epoch, not at ${sweep.metric}'s own best`,
      `monitor ${sweep.metric} in train.earlyStopping to keep and score the same epoch, or set restoreBestWeights: false to keep and score the last epoch`,
    ),
  ];
};

/** A warning: a method's options section changed from its defaults while the sweep runs another method (e.g. gp: set, method left at tpe). */
const sweepOptionsUnused: Rule = ({ sweep }) => {
  if (!sweep) return [];
  const sections = { tpe: [sweep.tpe, Tpe], gp: [sweep.gp, Gp] } as const;
  return Object.entries(sections).flatMap(([method, [given, schema]]) => {
    const changed = JSON.stringify(given) !== JSON.stringify(fillDefaults(schema as SchemaNode, {}));
    if (method === sweep.method || !changed) return [];
    return [at('warn/sweep-options-unused', ['sweep', method], `sweep.${method} sets options of the ${method} method, but this sweep uses method ${sweep.method}, so they do nothing`, `set method: ${method} to use them, or remove sweep.${method}`)];
  });
};

/** Rules whose problems are errors, run with the other cross-field checks. */
export const SWEEP_CHECKS: Record<string, Rule> = { sweepNotOnTest };

/** Rules whose problems are warnings: reported with a valid pipeline, never failing it. */
export const WARNINGS: Record<string, Rule> = { sweepScoresKeptEpoch, foldsNotPruned: warnFoldsNotPruned, sweepOptionsUnused };

/** Every warning for a valid spec, in rule order. */
export function runWarnings(spec: PipelineSpec): SchemaProblem[] {
  return Object.values(WARNINGS).flatMap((rule) => rule(spec));
}
