import { Type, type Static } from '@sinclair/typebox';
import { int, obj, opt, str } from '../fields.ts';
import { Data } from './data.ts';
import { Model } from './layers.ts';
import { Runtime } from './runtime.ts';
import { Sweep } from './sweep.ts';
import { Train } from './train.ts';

/** The whole pipeline spec: one value that is both the JSON Schema and (via Static) the TS type. */
export const Pipeline = obj(
  {
    name: str('Name of the pipeline; its runs are named `<name>-<hex>` (unique) and found with the filter `name = "<name>"`.', { minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
    experiment: opt(str('Experiment the runs are grouped under; defaults to the name.', { minLength: 1 })),
    description: opt(str('What this pipeline shows.')),
    tags: opt(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }), Type.String(), { description: 'Tags recorded on every run, key: value.' })),
    seed: int('Seed for initialization, shuffling and the split.', { default: 42 }),
    data: Data,
    model: Model,
    train: Train,
    sweep: opt(Sweep),
    runtime: Runtime,
  },
  'A Kiln pipeline: data, model, training, and optionally a sweep.',
  { $id: 'https://kiln.dev/schema/pipeline.schema.json', title: 'Kiln pipeline' },
);

/** A resolved pipeline: defaults filled, so every defaulted field is present. */
export type PipelineSpec = Static<typeof Pipeline>;
