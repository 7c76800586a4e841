/** The embedding: token ids to dense vectors. */
import { bool, int, opt } from '../fields.ts';
import { defineLayer, initializer, layer, Regularizer } from './define.ts';

export const embedding = defineLayer({
  schema: layer('embedding', 'Map token ids to dense vectors.', {
    outputDim: int('Size of each vector.', { minimum: 1 }),
    inputDim: opt(int('Vocabulary size; defaults to the text feature vocabSize.', { minimum: 2 })),
    maskZero: bool('Treat id 0 as padding.', false),
    embeddingsInitializer: initializer('embeddings'),
    regularizer: opt(Regularizer),
  }),
  shape: (input, l) =>
    !input.ids || input.dims.length !== 1 ? 'embedding needs token ids: a text feature, or category features with encoding: index' : { dims: [input.dims[0] ?? null, l.outputDim], ids: false },
  params: (_input, l, ctx) => (l.inputDim ?? ctx.vocab) * l.outputDim,
});
