import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { bool, int, num, obj, oneOf, opt, str, tag, tagged } from '../fields.ts';
import { LOSSES } from '../../catalog/losses.ts';
import { DIRECTIONS, METRICS } from '../../catalog/metrics.ts';

// The enums come from core's catalog, which also says which targets each fits and which way is better.
export { LOSSES, type LossName } from '../../catalog/losses.ts';
export { METRICS, type MetricName } from '../../catalog/metrics.ts';

const lr = (dflt: number) => num('Learning rate.', { exclusiveMinimum: 0, default: dflt });
const optimizer = <T extends string, P extends TProperties>(nameValue: T, description: string, dfltLr: number, props: P) =>
  obj({ name: tag(nameValue, description), learningRate: lr(dfltLr), ...props }, description);

export const Optimizer = tagged(
  'name',
  [
    optimizer('sgd', 'Stochastic gradient descent.', 0.01, {
      momentum: num('Momentum factor (0 = plain SGD).', { minimum: 0, maximum: 1, default: 0 }),
      nesterov: bool('Use Nesterov momentum.', false),
    }),
    optimizer('adam', 'Adam.', 0.001, {
      beta1: num('Decay of the first moment.', { minimum: 0, exclusiveMaximum: 1, default: 0.9 }),
      beta2: num('Decay of the second moment.', { minimum: 0, exclusiveMaximum: 1, default: 0.999 }),
      epsilon: num('Added for numerical stability.', { exclusiveMinimum: 0, default: 1e-7 }),
    }),
    optimizer('adamw', "AdamW: Adam with decoupled weight decay (Loshchilov & Hutter; PyTorch's AdamW).", 0.001, {
      beta1: num('Decay of the first moment.', { minimum: 0, exclusiveMaximum: 1, default: 0.9 }),
      beta2: num('Decay of the second moment.', { minimum: 0, exclusiveMaximum: 1, default: 0.999 }),
      epsilon: num('Added for numerical stability.', { exclusiveMinimum: 0, default: 1e-7 }),
      weightDecay: num('Each step first scales every weight by 1 - learningRate * weightDecay, apart from the gradient (so it follows lrSchedule).', { minimum: 0, default: 0.01 }),
    }),
    optimizer('adamax', 'Adamax (Adam with the infinity norm).', 0.002, {
      beta1: num('Decay of the first moment.', { minimum: 0, exclusiveMaximum: 1, default: 0.9 }),
      beta2: num('Decay of the weighted infinity norm.', { minimum: 0, exclusiveMaximum: 1, default: 0.999 }),
      epsilon: num('Added for numerical stability.', { exclusiveMinimum: 0, default: 1e-7 }),
    }),
    optimizer('rmsprop', 'RMSprop.', 0.001, {
      rho: num('Decay of the squared-gradient average.', { minimum: 0, exclusiveMaximum: 1, default: 0.9 }),
      momentum: num('Momentum factor.', { minimum: 0, maximum: 1, default: 0 }),
      epsilon: num('Added for numerical stability.', { exclusiveMinimum: 0, default: 1e-7 }),
    }),
    optimizer('adagrad', 'Adagrad.', 0.01, {
      initialAccumulatorValue: num('Starting value of the accumulators.', { exclusiveMinimum: 0, default: 0.1 }),
    }),
    optimizer('adadelta', 'Adadelta.', 1.0, {
      rho: num('Decay rate.', { minimum: 0, exclusiveMaximum: 1, default: 0.95 }),
      epsilon: num('Added for numerical stability.', { exclusiveMinimum: 0, default: 1e-7 }),
    }),
  ],
  'The optimizer: `name` picks it, the other keys are its options.',
);
export type OptimizerSpec = Static<typeof Optimizer>;
export type OptimizerName = OptimizerSpec['name'];

/** A split, an optional graph output name, and a metric: val.loss, val.species.accuracy. */
export const METRIC_KEY = '(\\.[A-Za-z][A-Za-z0-9_]*)?\\.[A-Za-z0-9_]+$';
const monitor = str('Metric to watch, e.g. val.loss, val.accuracy, or val.<output>.<metric> for one output of a multi-output graph.', { default: 'val.loss', pattern: `^(train|val)${METRIC_KEY}` });
const mode = oneOf(['auto', ...DIRECTIONS] as const, 'Whether lower or higher is better; auto infers it from the metric name.', 'auto');

export const LrSchedule = tagged(
  'type',
  [
    obj({ type: tag('step', 'Multiply the rate by gamma every stepSize epochs.'), stepSize: int('Epochs between drops.', { minimum: 1 }), gamma: num('Factor per drop.', { exclusiveMinimum: 0, maximum: 1, default: 0.1 }) }, 'Step decay.'),
    obj({ type: tag('exponential', 'Multiply the rate by decayRate every epoch.'), decayRate: num('Factor per epoch.', { exclusiveMinimum: 0, maximum: 1 }) }, 'Exponential decay.'),
    obj({ type: tag('cosine', 'Cosine annealing from the initial rate to minLearningRate over all epochs.'), minLearningRate: num('Final learning rate.', { minimum: 0, default: 0 }), warmupEpochs: int('Epochs of linear warm-up first.', { minimum: 0, default: 0 }) }, 'Cosine annealing.'),
    obj(
      {
        type: tag('reduceOnPlateau', 'Cut the rate when the monitored metric stops improving.'),
        monitor,
        mode,
        factor: num('Factor per cut.', { exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.1 }),
        patience: int('Epochs without improvement before a cut.', { minimum: 0, default: 5 }),
        minDelta: num('Smallest change that counts as improvement.', { minimum: 0, default: 0.0001 }),
        minLearningRate: num('Never go below this rate.', { minimum: 0, default: 0 }),
      },
      'Reduce on plateau.',
    ),
  ],
  'How the learning rate changes over epochs.',
);

export const EarlyStopping = obj(
  {
    monitor,
    mode,
    patience: int('Epochs without improvement before stopping.', { minimum: 0, default: 5 }),
    minDelta: num('Smallest change that counts as improvement.', { minimum: 0, default: 0 }),
    restoreBestWeights: bool('At the end, restore the weights of the best epoch (whether or not training stopped early).', true),
  },
  'Stop when the monitored metric stops improving.',
);

export const Checkpoint = obj(
  {
    monitor,
    mode,
    saveBestOnly: bool('Keep only the best model, not one per epoch.', true),
  },
  'Save the model of the best epoch with the run.',
);

export const GradientClip = obj(
  {
    norm: opt(num('Rescale gradients whose global L2 norm exceeds this.', { exclusiveMinimum: 0 })),
    value: opt(num('Clip every gradient element to [-value, value].', { exclusiveMinimum: 0 })),
  },
  'Gradient clipping.',
);

export const Divergence = obj(
  {
    action: oneOf(
      ['warn', 'fail'] as const,
      'What a diverging run does: warn (finish, tagged kiln.warning and flagged in the summary, run page and kiln show) or fail (stop and end the run failed, keeping its metrics).',
      'warn',
    ),
    lossIncrease: num(
      "An epoch diverges when its train loss is over this multiple of the lowest so far (the first step's included) and above the untrained model's first-step loss.",
      { exclusiveMinimum: 1, default: 5 },
    ),
  },
  'Divergence policy: a non-finite loss always fails the run; a loss that grows this much is flagged, or fails the run when action is fail.',
  { default: {} },
);

export const Train = obj(
  {
    loss: oneOf(LOSSES, 'Loss function; it must fit the target type and the last layer.'),
    optimizer: Optimizer,
    lrSchedule: opt(LrSchedule),
    epochs: int('Passes over the training split.', { minimum: 1, default: 10 }),
    batchSize: int('Examples per gradient step.', { minimum: 1, default: 32 }),
    shuffle: bool('Reshuffle the training split every epoch (seeded).', true),
    classWeights: opt(
      Type.Union(
        [
          Type.Literal('balanced', { description: 'n / (k * count of the class) on the train split, so every class weighs as much in all.' }),
          Type.Record(Type.String({ minLength: 1 }), Type.Number({ exclusiveMinimum: 0 }), { description: 'A weight per class value (classes not named weigh 1), e.g. { sun: 0.3, snow: 4 }.' }),
        ],
        {
          description:
            "Classification only: weight each example's loss by its class (binary and multiclass; balanced applies to every classification target, a map needs exactly one). The loss is the mean of weight * example loss, as with Keras' class_weight; the val and test losses are weighted too (Keras leaves its val_loss unweighted), so early stopping on val.loss follows the loss the model trains on. The weights used are recorded as params train.classWeight.<class>.",
        },
      ),
    ),
    metrics: Type.Array(oneOf(METRICS, 'A metric computed on train and val every epoch and on test at the end (f1, precision and recall are macro-averaged over the classes present in the split truth or predictions for multiclass, as scikit-learn, of the positive class for binary; f1Weighted averages per-class F1 weighted by support).'), {
      description: 'Metrics besides the loss. f1, precision and recall are macro averages over the classes present in truth or predictions (binary: of the positive class); f1Weighted weighs each class by its support. Regression metrics are in the target\'s own units.',
      uniqueItems: true,
      default: [],
    }),
    earlyStopping: opt(EarlyStopping),
    checkpoint: opt(Checkpoint),
    gradientClip: opt(GradientClip),
    divergence: Divergence,
  },
  'How the model is trained.',
);
export type TrainSpec = Static<typeof Train>;
