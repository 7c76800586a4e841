/** The model section of the spec: the layer union (from the per-layer table in ../layers), the graph form and model.from. */
import { Type, type Static } from '@sinclair/typebox';
import { int, num, obj, oneOf, opt, str, tagged } from '../fields.ts';
import { LAYERS, type LayerSchemas, type LayerType } from '../layers/index.ts';
import { LOSSES, METRICS } from './train.ts';

export { ACTIVATIONS, INITIALIZERS, RecurrentLayer, type LayerOf, type LayerType } from '../layers/index.ts';

/** Every layer type's schema, keyed by `type`, in the table's order. */
// fromEntries loses the per-key types that LayerSchemas spells out again.
export const LAYER_SCHEMAS = Object.fromEntries(Object.entries(LAYERS).map(([type, def]) => [type, def.schema])) as LayerSchemas;
export const LAYER_TYPES = Object.keys(LAYERS) as LayerType[];

export const Layer = tagged('type', Object.values(LAYER_SCHEMAS), 'One layer: `type` names it, the other keys are its options.');
export type LayerSpec = Static<typeof Layer>;

const nodeName = (what: string) => str(what, { pattern: '^[A-Za-z][A-Za-z0-9_]*$' });

const GraphInput = obj(
  {
    name: nodeName('Name of the input, used in `from`.'),
    features: opt(Type.Array(str('A data.features name.', { minLength: 1 }), { description: 'The features this input takes, in order (default, with one input: all of them; needed when there are several inputs).', minItems: 1 })),
  },
  'A named model input, fed by some of data.features.',
);

const GraphNode = obj(
  {
    name: nodeName('Name of the node, used in `from`.'),
    from: Type.Union([nodeName('An input or node name.'), Type.Array(nodeName('An input or node name.'), { minItems: 2 })], {
      description: 'The input or node that feeds this one; a list of two or more is merged first.',
    }),
    merge: oneOf(['concatenate', 'add'] as const, 'How a list in `from` is combined: concatenate along the last axis, or add (all shapes equal).', 'concatenate'),
    layers: Type.Array(Layer, { description: 'Layers applied in order after the merge (may be empty).', default: [] }),
  },
  'A named branch: its input (or a merge of several) through a stack of layers.',
);

const GraphOutput = obj(
  {
    name: nodeName('Name of the output (a head); with several outputs its metrics are logged as val.<name>.<metric>.'),
    from: nodeName('The node whose result is this output (its last layer is the output layer).'),
    target: opt(str('The data.targets name this output predicts (default: the only target).', { minLength: 1 })),
    loss: opt(oneOf(LOSSES, 'Loss of this output (default: train.loss).')),
    lossWeight: num('Weight of this output\'s loss in the total loss (the weighted sum of every output\'s loss).', { minimum: 0, default: 1 }),
    metrics: opt(Type.Array(oneOf(METRICS, 'A metric of this output.'), { description: 'Metrics of this output (default: train.metrics).', uniqueItems: true })),
  },
  'A named model output (a head), bound to one target with its own loss, loss weight and metrics.',
);

export const Graph = obj(
  {
    inputs: Type.Array(GraphInput, { description: 'Named inputs; with several, each lists the data.features it takes (every feature must feed some input).', minItems: 1 }),
    nodes: Type.Array(GraphNode, { description: 'Named branches and merges, in any order (they must not form a cycle).', minItems: 1 }),
    outputs: Type.Array(GraphOutput, { description: 'Named outputs, one per target (several make a multi-task model; the loss is the weighted sum of theirs).', minItems: 1 }),
  },
  'A model as a graph of named nodes: inputs, branches of layers, merges, and outputs bound to targets.',
);
export type GraphSpec = Static<typeof Graph>;

export const Model = obj(
  {
    from: opt(
      obj(
        {
          run: opt(str('Id of a finished run in the store whose saved model to start from. Give run or model, not both.', { minLength: 1 })),
          model: opt(
            str(
              'A registered model to start from (kiln model register / alias): NAME@ALIAS (e.g. penguins@production), NAME@VERSION, or NAME for its latest version; resolved in the store when the run starts, and the version used is recorded on the run. Give run or model, not both.',
              { minLength: 1, pattern: '^[A-Za-z0-9._-]+(@[A-Za-z0-9._-]+)?$' },
            ),
          ),
          upTo: opt(str('Name of the kept layer whose output feeds the new layers (it and the layers before it are kept); default: every layer but the old output layer.', { minLength: 1 })),
          freeze: Type.Union([Type.Boolean(), Type.Array(str('A layer name.', { minLength: 1 }), { minItems: 1 })], {
            description: 'true: train none of the kept layers; false: fine-tune them all; a list of names: freeze only those.',
            default: true,
          }),
          unfreeze: opt(
            obj(
              {
                epoch: int('The epoch (1-based) from whose start the frozen layers train too.', { minimum: 2 }),
                learningRate: opt(num('Their own learning rate (default: train.optimizer.learningRate), scaled by train.lrSchedule like the main one; fine-tuning usually wants it 10-100x smaller.', { exclusiveMinimum: 0 })),
              },
              'Fine-tuning in two phases: train the new layers first, then unfreeze the frozen ones with their own optimizer and learning rate.',
            ),
          ),
        },
        'Transfer learning: start from a trained run\'s model, keep its layers up to `upTo`, and put `layers` on top as the new part.',
      ),
    ),
    layers: opt(
      Type.Array(Layer, {
        description: 'An ordered stack of layers; the input shape comes from the data. Give either layers or graph.',
        minItems: 1,
      }),
    ),
    graph: opt(Graph),
  },
  'The model. Validation refuses one whose training memory, estimated from the layer shapes (weights, gradients and optimizer state, plus one batch of activations, 4 bytes each), is over 2 GiB: the WebAssembly heap stops at 4 GiB (2 GiB in some builds) and also holds the data.',
);
export type ModelSpec = Static<typeof Model>;
