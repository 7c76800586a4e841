import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { bool, int, num, obj, oneOf, opt, str, tag, tagged } from '../fields.ts';
import { LOSSES, METRICS } from './train.ts';

export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'gelu', 'hardSigmoid'] as const;
export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'leCunUniform', 'leCunNormal', 'zeros', 'ones', 'orthogonal', 'randomNormal', 'randomUniform'] as const;

const name = opt(str('A name for the layer (used by transfer learning and in the model summary).', { pattern: '^[A-Za-z][A-Za-z0-9_]*$' }));
const activation = (dflt: (typeof ACTIVATIONS)[number]) => oneOf(ACTIVATIONS, 'Activation function applied to the output.', dflt);
const initializer = (what: string) => opt(oneOf(INITIALIZERS, `Initializer for the ${what}.`));
const Regularizer = obj(
  {
    l1: opt(num('L1 penalty factor.', { minimum: 0 })),
    l2: opt(num('L2 penalty factor.', { minimum: 0 })),
  },
  'Weight penalty added to the loss.',
);
const padding = oneOf(['valid', 'same'] as const, 'valid: no padding; same: pad so the output keeps the input size (at stride 1).', 'valid');
const window1d = (description: string, dflt?: number) => int(description, { minimum: 1, ...(dflt === undefined ? {} : { default: dflt }) });
const window2d = (dflt?: number) =>
  Type.Union([int('Height and width of the window.', { minimum: 1 }), Type.Array(int('Size.', { minimum: 1 }), { minItems: 2, maxItems: 2 })], {
    description: 'Window size: one number for a square window, or [height, width].',
    ...(dflt === undefined ? {} : { default: dflt }),
  });
const weighted = { kernelInitializer: initializer('kernel'), biasInitializer: initializer('bias'), regularizer: opt(Regularizer), useBias: bool('Add a bias term.', true) };

const layer = <T extends string, P extends TProperties>(type: T, description: string, props: P) =>
  obj({ type: tag(type, description), name, trainable: bool('Whether training updates this layer (false freezes it).', true), ...props }, description);

const rnnProps = {
  units: int('Size of the hidden state.', { minimum: 1 }),
  returnSequences: bool('Output the whole sequence instead of the last state (needed to stack recurrent layers).', false),
  dropout: num('Dropout on the inputs.', { minimum: 0, maximum: 1, default: 0 }),
  recurrentDropout: num('Dropout on the recurrent state.', { minimum: 0, maximum: 1, default: 0 }),
  ...weighted,
};
const rnn = <T extends string>(type: T, description: string) => layer(type, description, rnnProps);
/** LSTM and GRU also choose their gates' activation. */
const gatedRnn = <T extends string>(type: T, description: string) =>
  layer(type, description, {
    ...rnnProps,
    recurrentActivation: oneOf(
      ['hardSigmoid', 'sigmoid'] as const,
      "The gates' activation: hardSigmoid (TensorFlow.js' default, cheaper) or sigmoid (PyTorch's and Keras 2's).",
      'hardSigmoid',
    ),
  });

const pool1d = <T extends string>(type: T, description: string) =>
  layer(type, description, { poolSize: window1d('Window width.', 2), strides: opt(window1d('Step (defaults to poolSize).')), padding });
const pool2d = <T extends string>(type: T, description: string) =>
  layer(type, description, { poolSize: window2d(2), strides: opt(window2d()), padding });

export const RecurrentLayer = tagged('type', [gatedRnn('lstm', 'Long short-term memory recurrent layer.'), gatedRnn('gru', 'Gated recurrent unit layer.'), rnn('simpleRNN', 'Fully connected recurrent layer.')], 'A recurrent layer.');

/** Every layer type of the stack form; one entry per type, keyed by `type`. */
export const LAYER_SCHEMAS = {
  dense: layer('dense', 'Fully connected layer.', { units: int('Number of output units.', { minimum: 1 }), activation: activation('linear'), ...weighted }),
  dropout: layer('dropout', 'Randomly zero a fraction of inputs while training.', { rate: num('Fraction of inputs to drop.', { minimum: 0, exclusiveMaximum: 1 }) }),
  activation: layer('activation', 'Apply an activation function.', { activation: oneOf(ACTIVATIONS, 'Activation function.') }),
  batchNormalization: layer('batchNormalization', 'Normalize activations over the batch.', {
    momentum: num('Momentum of the moving averages.', { minimum: 0, maximum: 1, default: 0.99 }),
    epsilon: num('Added to the variance for stability.', { exclusiveMinimum: 0, default: 0.001 }),
  }),
  layerNormalization: layer('layerNormalization', 'Normalize activations over the features of each example.', {
    epsilon: num('Added to the variance for stability.', { exclusiveMinimum: 0, default: 0.001 }),
  }),
  conv1d: layer('conv1d', '1-D convolution over a sequence.', {
    filters: int('Number of output channels.', { minimum: 1 }),
    kernelSize: window1d('Width of the convolution window.'),
    strides: int('Step of the window.', { minimum: 1, default: 1 }),
    padding,
    activation: activation('linear'),
    ...weighted,
  }),
  conv2d: layer('conv2d', '2-D convolution over an image.', {
    filters: int('Number of output channels.', { minimum: 1 }),
    kernelSize: window2d(),
    strides: Type.Union([int('Step in both directions.', { minimum: 1 }), Type.Array(int('Step.', { minimum: 1 }), { minItems: 2, maxItems: 2 })], { description: 'Step of the window.', default: 1 }),
    padding,
    activation: activation('linear'),
    ...weighted,
  }),
  maxPooling1d: pool1d('maxPooling1d', 'Max over windows of a sequence.'),
  maxPooling2d: pool2d('maxPooling2d', 'Max over windows of an image.'),
  averagePooling1d: pool1d('averagePooling1d', 'Mean over windows of a sequence.'),
  averagePooling2d: pool2d('averagePooling2d', 'Mean over windows of an image.'),
  globalAveragePooling1d: layer('globalAveragePooling1d', 'Mean over the whole sequence.', {}),
  globalAveragePooling2d: layer('globalAveragePooling2d', 'Mean over the whole image, per channel.', {}),
  globalMaxPooling1d: layer('globalMaxPooling1d', 'Max over the whole sequence.', {}),
  flatten: layer('flatten', 'Flatten everything but the batch into one vector.', {}),
  reshape: layer('reshape', 'Reshape to a target shape (excluding the batch).', {
    targetShape: Type.Array(int('Dimension size.', { minimum: 1 }), { description: 'The new shape.', minItems: 1 }),
  }),
  embedding: layer('embedding', 'Map token ids to dense vectors.', {
    outputDim: int('Size of each vector.', { minimum: 1 }),
    inputDim: opt(int('Vocabulary size; defaults to the text feature vocabSize.', { minimum: 2 })),
    maskZero: bool('Treat id 0 as padding.', false),
    embeddingsInitializer: initializer('embeddings'),
    regularizer: opt(Regularizer),
  }),
  lstm: gatedRnn('lstm', 'Long short-term memory recurrent layer.'),
  gru: gatedRnn('gru', 'Gated recurrent unit layer.'),
  simpleRNN: rnn('simpleRNN', 'Fully connected recurrent layer.'),
  bidirectional: layer('bidirectional', 'Run a recurrent layer forwards and backwards.', {
    layer: RecurrentLayer,
    mergeMode: oneOf(['concat', 'sum', 'mul', 'ave'] as const, 'How the two directions are combined.', 'concat'),
  }),
  multiHeadAttention: layer('multiHeadAttention', 'Self-attention over a sequence: every step attends to every step (or only earlier ones when causal), in several heads.', {
    numHeads: int('Number of attention heads.', { minimum: 1 }),
    keyDim: int('Size of each head\'s queries and keys (and values).', { minimum: 1 }),
    dropout: num('Dropout on the attention weights.', { minimum: 0, exclusiveMaximum: 1, default: 0 }),
    causal: bool('Let each step attend only to itself and earlier steps.', false),
    useBias: bool('Add bias terms to the projections.', true),
    maskPadding: bool('Ignore padded steps (token id 0) when the input carries a padding mask, as the output of an embedding with maskZero: true does: padded keys get -1e9 before the softmax, and the mask passes on to later layers.', true),
  }),
  transformerEncoder: layer('transformerEncoder', 'A transformer encoder block: optional learned position embedding, then self-attention and a feed-forward network, each with dropout, a residual connection and layer normalization.', {
    numHeads: int('Number of attention heads.', { minimum: 1 }),
    keyDim: opt(int('Size of each head\'s queries and keys; defaults to the input features / numHeads.', { minimum: 1 })),
    ffDim: int('Hidden size of the feed-forward network.', { minimum: 1 }),
    dropout: num('Dropout after attention and after the feed-forward network.', { minimum: 0, exclusiveMaximum: 1, default: 0.1 }),
    positionalEmbedding: bool('Add a learned embedding of each step position to the input first (turn off on stacked blocks after the first).', true),
    causal: bool('Let each step attend only to itself and earlier steps.', false),
    epsilon: num('Added to the variance in the layer normalizations.', { exclusiveMinimum: 0, default: 0.000001 }),
    maskPadding: bool('Ignore padded steps (token id 0) when the input carries a padding mask, as the output of an embedding with maskZero: true does: padded keys get -1e9 before the softmax, and the mask passes on to later layers.', true),
  }),
} as const;

export type LayerType = keyof typeof LAYER_SCHEMAS;
export const LAYER_TYPES = Object.keys(LAYER_SCHEMAS) as LayerType[];

export const Layer = tagged('type', Object.values(LAYER_SCHEMAS), 'One layer: `type` names it, the other keys are its options.');
export type LayerSpec = Static<typeof Layer>;
/** The spec of one layer type, e.g. `LayerOf<'dense'>`. */
export type LayerOf<K extends LayerType> = Static<(typeof LAYER_SCHEMAS)[K]>;

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
          run: str('Id of a finished run in the store whose saved model to start from.', { minLength: 1 }),
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
