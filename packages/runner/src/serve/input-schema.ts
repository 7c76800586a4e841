/**
 * The JSON Schema of one input row of a served model, generated from its fitted preprocessing state:
 * one property per input column, typed by the feature that reads it. A column is required when a
 * missing value would be an error (numeric and date features with `missing: error`, images); any
 * other may be left out or null, and is then read as missing exactly as `kiln predict` reads an
 * empty cell (the train mean, the unknown-category bucket, an empty text).
 */
import { formatLabel } from '../data/preprocess/date-parse.ts';
import type { FeatureState, PreprocessState } from '../data/types.ts';

/** A JSON Schema object (the subset generated here). */
export type JsonSchema = { [key: string]: unknown };

/** What a column takes, in words: the 400 errors say it (ajv's own messages name schema keywords). */
export interface ColumnRule {
  name: string;
  required: boolean;
  /** e.g. "a number (or null: missing, read as the train mean)". */
  expects: string;
  schema: JsonSchema;
}

/** Options of the generated schema. */
export interface SchemaOptions {
  /** Categories as enums and no columns besides the inputs (a 400), instead of the unknown-category bucket and a warning. */
  strict: boolean;
}

type Rule = (f: FeatureState, opts: SchemaOptions) => Omit<ColumnRule, 'name'>;

const MISSING_NUMBER: Record<'mean' | 'drop' | 'error', string> = {
  mean: 'null: missing, read as the train mean',
  drop: 'null: missing, the row is skipped as kiln predict skips it',
  error: '',
};

const nullable = (type: string | string[], ok: boolean): string | string[] => (ok ? [...[type].flat(), 'null'] : type);

/** Feature type -> the schema of its column; typed so a new feature type without a rule fails to compile. */
const RULES: { [T in FeatureState['type']]: (f: Extract<FeatureState, { type: T }>, opts: SchemaOptions) => Omit<ColumnRule, 'name'> } = {
  numeric: (f) => {
    const missingOk = f.missing !== 'error';
    return {
      required: !missingOk,
      expects: missingOk ? `a number (or ${MISSING_NUMBER[f.missing]})` : 'a number (this feature has missing: error)',
      schema: { type: nullable('number', missingOk), description: `numeric feature${missingOk ? `; ${MISSING_NUMBER[f.missing]}` : ''}` },
    };
  },
  category: (f, { strict }) => {
    const cats = f.categories.slice(1);
    const list = cats.length > 12 ? `${cats.slice(0, 12).join(', ')} ... (${cats.length} in all)` : cats.join(', ');
    if (strict)
      return { required: false, expects: `one of ${list} (or null: missing)`, schema: { enum: [...cats, null], description: 'category seen in training; null is missing' } };
    return {
      required: false,
      expects: `a category: a string (seen in training: ${list}), or null for missing`,
      schema: { type: ['string', 'number', 'boolean', 'null'], examples: cats.slice(0, 50), description: 'category; a value not seen in training (or null) goes to the unknown-category bucket, as in kiln predict' },
    };
  },
  text: () => ({ required: false, expects: 'a string (or null: an empty text)', schema: { type: ['string', 'null'], description: 'text; null is an empty text' } }),
  image: (f) => {
    const n = f.shape.reduce((a, b) => a * b, 1);
    return {
      required: true,
      expects: `an array of ${n} numbers (shape [${f.shape.join(', ')}], height, width, channel order)`,
      schema: { type: 'array', items: { type: 'number' }, minItems: n, maxItems: n, description: `image of shape [${f.shape.join(', ')}] as a flat array of ${n} numbers; they are divided by ${f.scale}` },
    };
  },
  date: (f) => {
    const missingOk = f.missing !== 'error';
    const written = formatLabel(f.format);
    return {
      required: !missingOk,
      expects: `a date written as ${written}${missingOk ? ` (or ${MISSING_NUMBER[f.missing].replace('the train mean', 'the train mean date')})` : ''}`,
      schema: { type: nullable(['string', 'number'], missingOk), description: `date written as ${written}` },
    };
  },
};

/** The rule of each input column, in the state's feature order. */
export function columnRules(state: PreprocessState, opts: SchemaOptions): ColumnRule[] {
  // Each rule takes its own feature type; widened as featureHandler() widens the preprocessing table.
  return state.features.map((f) => ({ name: f.name, ...(RULES[f.type] as Rule)(f, opts) }));
}

/** The schema of one row: an object of the input columns. */
export function rowSchema(rules: readonly ColumnRule[], opts: SchemaOptions): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(rules.map((r) => [r.name, r.schema])),
    required: rules.filter((r) => r.required).map((r) => r.name),
    // Not strict: a column the model does not read is ignored (and named in the response's warnings), as kiln predict ignores it.
    additionalProperties: !opts.strict,
  };
}

/** The schema of a POST /predict body: `{ "rows": [row, ...] }` or one row object. */
export function requestSchema(rules: readonly ColumnRule[], opts: SchemaOptions, title: string): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    description: 'POST /predict body: {"rows": [row, ...]} or one row object. Each row holds the pipeline\'s input columns.',
    definitions: { row: rowSchema(rules, opts) },
    anyOf: [{ type: 'object', required: ['rows'], properties: { rows: { type: 'array', minItems: 1, items: { $ref: '#/definitions/row' } } }, additionalProperties: false }, { $ref: '#/definitions/row' }],
  };
}
