import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { GOALS, PRUNER_TABLE, SAMPLERS, type PrunerName } from '../../catalog/sweep.ts';
import { bool, int, num, obj, oneOf, opt, str, tag, tagged } from '../fields.ts';
import { METRIC_KEY } from './train.ts';

const scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean()]);
const low = num('Lower bound (inclusive).');
const high = num('Upper bound (inclusive).');
const when = opt(
  Type.Record(Type.String(), Type.Union([scalar, Type.Array(scalar, { minItems: 1 })]), {
    description: 'Sweep this parameter only in trials where each named sweep parameter takes one of the given values, e.g. `{ train.optimizer.name: sgd }` for a momentum; elsewhere the pipeline keeps its own value.',
    minProperties: 1,
  }),
);

export const Distribution = tagged(
  'type',
  [
    obj({ type: tag('values', 'Pick one of a list (categorical).'), values: Type.Array(scalar, { description: 'The choices.', minItems: 1 }), when }, 'A categorical choice.'),
    obj({ type: tag('uniform', 'A float drawn uniformly.'), low, high, step: opt(num('Round to multiples of step from low.', { exclusiveMinimum: 0 })), when }, 'Uniform floats.'),
    obj({ type: tag('logUniform', 'A positive float drawn uniformly in log space (learning rates).'), low: num('Lower bound.', { exclusiveMinimum: 0 }), high: num('Upper bound.', { exclusiveMinimum: 0 }), when }, 'Log-uniform floats.'),
    obj({ type: tag('int', 'An integer drawn uniformly.'), low: int('Lower bound.'), high: int('Upper bound.'), step: opt(int('Step between values.', { minimum: 1 })), when }, 'Uniform integers.'),
    obj({ type: tag('intLog', 'A positive integer drawn uniformly in log space (layer sizes).'), low: int('Lower bound.', { minimum: 1 }), high: int('Upper bound.', { minimum: 1 }), when }, 'Log-uniform integers.'),
  ],
  'A search distribution for one parameter.',
);
export type DistributionSpec = Static<typeof Distribution>;

const pruner = <K extends PrunerName, P extends TProperties>(name: K, description: string, props: P) =>
  obj({ type: tag(name, PRUNER_TABLE[name].description), ...props }, description);

/** One variant per pruner of the catalog: a pruner missing here is a compile error. */
const PRUNER_VARIANTS = {
  none: pruner('none', 'No pruning.', {}),
  median: pruner('median', 'Median pruner.', {
    startupTrials: int('Trials that finish before pruning starts.', { minimum: 0, default: 5 }),
    warmupEpochs: int('Epochs of each trial that are never pruned.', { minimum: 0, default: 0 }),
  }),
  asha: pruner('asha', 'ASHA.', {
    minResource: int('Epochs before the first rung.', { minimum: 1, default: 1 }),
    reductionFactor: int('Keep 1 of every reductionFactor trials per rung.', { minimum: 2, default: 3 }),
  }),
  hyperband: pruner('hyperband', 'Hyperband.', {
    minResource: int('Epochs before the first rung of the most aggressive bracket.', { minimum: 1, default: 1 }),
    reductionFactor: int('Keep 1 of every reductionFactor trials per rung.', { minimum: 2, default: 3 }),
  }),
} satisfies { [K in PrunerName]: TSchema & { static: { type: K } } };

/** Options of the tpe method (ignored by grid and random). */
export const Tpe = obj(
  {
    multivariate: bool('Model the swept parameters jointly (one product kernel per past trial, as Optuna\'s multivariate=True, with widths that also follow the trials\' spread) instead of each alone; false is Optuna\'s default univariate TPE. Parameters with a `when:` are modelled with the trials where they existed.', true),
    constantLiar: Type.Union([Type.Boolean(), Type.Number()], {
      description: 'How proposals treat trials still queued or running (parallel > 1): true counts each as if it had ended with the worst value seen so far, so idle workers spread out instead of proposing near-duplicates (Optuna\'s constant_liar); a number counts each as ending with that metric value; false ignores them.',
      default: true,
    }),
    startupTrials: int('Finished trials sampled at random before the model takes over. Optuna uses 10; 5 found better points in 50 trials on Branin and Hartmann6 (`pnpm bench tpe`), and with a small budget run on several workers 10 would be most of it.', { minimum: 1, default: 5 }),
  },
  'Options of the tpe method.',
  { default: {} },
);
export type TpeSpec = Static<typeof Tpe>;

/** Options of the gp method (ignored by the others). */
export const Gp = obj(
  {
    startupTrials: int('Finished trials sampled at random before the Gaussian process takes over. Optuna\'s GPSampler uses 10; 5 did as well or better on Branin and Hartmann6 over held-out seeds.', { minimum: 2, default: 5 }),
  },
  'Options of the gp method.',
  { default: {} },
);
export type GpSpec = Static<typeof Gp>;

export const Pruner = tagged('type', Object.values(PRUNER_VARIANTS), 'Stop unpromising trials early.');

export const Sweep = obj(
  {
    method: oneOf(SAMPLERS, 'Search method: tpe (Tree-structured Parzen Estimator, any space), gp (Gaussian-process Bayesian optimisation: usually better points in fewer trials, for spaces without `when:`; each proposal costs more as trials accumulate), grid or random.', 'tpe'),
    metric: str('The metric to optimize, e.g. val.accuracy, or val.<output>.<metric> with several graph outputs; a trial scores the model it keeps (the restored best epoch of earlyStopping.monitor, else the last epoch). test.* is refused: tuning on the test split leaves no unbiased estimate.', { pattern: `^(train|val|test)${METRIC_KEY}`, default: 'val.loss' }),
    goal: oneOf(GOALS, 'Whether lower or higher metric values are better.', 'minimize'),
    budget: obj(
      {
        trials: opt(int('Stop after this many trials (grid defaults to its size).', { minimum: 1 })),
        maxMinutes: opt(num('Stop starting trials after this many minutes.', { exclusiveMinimum: 0 })),
      },
      'When to stop.',
      { default: {} },
    ),
    parallel: int('Worker processes on this machine.', { minimum: 1, default: 1 }),
    seed: opt(int('Seed for the sampler; defaults to the pipeline seed.')),
    parameters: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*|\\[[0-9]+\\])*$' }), Distribution, {
      description: 'Spec path -> distribution, e.g. `train.optimizer.learningRate` or `model.layers[1].units`. A distribution with `when: { other.path: value or [values] }` is swept only in trials where those parameters take those values (e.g. a momentum only when train.optimizer.name is sgd).',
      minProperties: 1,
    }),
    pruner: Type.Union(Pruner.anyOf, { ...Pruner, default: { type: 'none' } }),
    tpe: Tpe,
    gp: Gp,
  },
  'Hyperparameter search over this pipeline.',
);
export type SweepSpec = Static<typeof Sweep>;
