/** The layer registry: one builder per spec layer type, mapping its options to a tfjs-layers layer. */
import { layers, type RNN } from '@tensorflow/tfjs-layers';
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerOf, LayerSpec, LayerType } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { MaskedGlobalAveragePooling1D, MaskedGlobalMaxPooling1D, MultiHeadAttention, TransformerEncoder } from './attention/layers.ts';
import { FusedConv2D } from './fused-conv2d.ts';
import { FusedLSTM } from './fused-lstm.ts';
import { makeInitializer, makeRegularizer } from './initializers.ts';

export type TfLayer = Layer;

/** What a builder needs besides the layer's own spec. */
export interface LayerContext {
  /** A seed for one weight of this layer (`kernel`, `bias`, ...), derived from the pipeline seed and the layer index. */
  seed: (role: string) => number;
  /** Default embedding vocabulary: the text feature's vocabulary size (or the largest index category). */
  vocabSize?: number;
}

type Builder<K extends LayerType> = (spec: LayerOf<K>, ctx: LayerContext) => TfLayer;
type Weighted = { kernelInitializer?: LayerOf<'dense'>['kernelInitializer']; biasInitializer?: LayerOf<'dense'>['biasInitializer']; regularizer?: { l1?: number; l2?: number }; useBias: boolean };

const common = (spec: LayerSpec) => ({ trainable: spec.trainable, ...(spec.name ? { name: spec.name } : {}) });

/** Kernel/bias initializers (Keras defaults: glorotUniform, zeros), the kernel penalty and useBias. */
const weights = (spec: Weighted, ctx: LayerContext) => ({
  kernelInitializer: makeInitializer(spec.kernelInitializer, 'glorotUniform', ctx.seed('kernel')),
  biasInitializer: makeInitializer(spec.biasInitializer, 'zeros', ctx.seed('bias')),
  kernelRegularizer: makeRegularizer(spec.regularizer),
  useBias: spec.useBias,
});

/** A window given as one size or as [height, width]; the schema allows exactly two sizes in the array form. */
const pair = (v: number | number[]): [number, number] =>
  Array.isArray(v) ? [must(v[0], 'a validated window has two sizes'), must(v[1], 'a validated window has two sizes')] : [v, v];

type RecurrentSpec = LayerOf<'lstm'> | LayerOf<'gru'> | LayerOf<'simpleRNN'>;

/** The recurrent layers share every option; Keras' defaults: orthogonal recurrent kernel, LSTM forget bias 1. */
function recurrentArgs(spec: RecurrentSpec, ctx: LayerContext) {
  return {
    ...common(spec),
    ...weights(spec, ctx),
    units: spec.units,
    returnSequences: spec.returnSequences,
    dropout: spec.dropout,
    recurrentDropout: spec.recurrentDropout,
    recurrentInitializer: makeInitializer(undefined, 'orthogonal', ctx.seed('recurrent')),
    ...('recurrentActivation' in spec ? { recurrentActivation: spec.recurrentActivation } : {}),
  };
}

const RECURRENT: { [K in RecurrentSpec['type']]: (spec: LayerOf<K>, ctx: LayerContext) => RNN } = {
  // tfjs-layers' LSTM with a fused whole-sequence kernel on wasm (fused-lstm.ts).
  lstm: (spec, ctx) => new FusedLSTM({ ...recurrentArgs(spec, ctx), unitForgetBias: true }),
  gru: (spec, ctx) => layers.gru(recurrentArgs(spec, ctx)),
  simpleRNN: (spec, ctx) => layers.simpleRNN(recurrentArgs(spec, ctx)),
};

const pool2d = (spec: LayerOf<'maxPooling2d'> | LayerOf<'averagePooling2d'>) => ({
  ...common(spec),
  poolSize: pair(spec.poolSize as number | number[]),
  strides: spec.strides === undefined ? undefined : pair(spec.strides as number | number[]),
  padding: spec.padding,
});
const pool1d = (spec: LayerOf<'maxPooling1d'> | LayerOf<'averagePooling1d'>) => ({
  ...common(spec),
  poolSize: spec.poolSize as number,
  strides: spec.strides as number | undefined,
  padding: spec.padding,
});

/** One entry per layer type of core's LAYERS table (packages/core/src/spec/layers); the mapped type makes a missing builder a compile error. */
export const LAYER_BUILDERS: { [K in LayerType]: Builder<K> } = {
  dense: (spec, ctx) => layers.dense({ ...common(spec), ...weights(spec, ctx), units: spec.units, activation: spec.activation }),
  // The mask is drawn from Math.random, which the training loop seeds per step (see withRandom).
  dropout: (spec) => layers.dropout({ ...common(spec), rate: spec.rate }),
  activation: (spec) => layers.activation({ ...common(spec), activation: spec.activation }),
  batchNormalization: (spec) => layers.batchNormalization({ ...common(spec), momentum: spec.momentum, epsilon: spec.epsilon }),
  layerNormalization: (spec) => layers.layerNormalization({ ...common(spec), epsilon: spec.epsilon }),
  conv1d: (spec, ctx) =>
    layers.conv1d({ ...common(spec), ...weights(spec, ctx), filters: spec.filters, kernelSize: spec.kernelSize, strides: spec.strides, padding: spec.padding, activation: spec.activation }),
  // tfjs-layers' Conv2D with its bias and ReLU fused on wasm while training (fused-conv2d.ts); saved as a plain Conv2D.
  conv2d: (spec, ctx) =>
    new FusedConv2D({
      ...common(spec),
      ...weights(spec, ctx),
      filters: spec.filters,
      kernelSize: pair(spec.kernelSize as number | number[]),
      strides: pair(spec.strides as number | number[]),
      padding: spec.padding,
      activation: spec.activation,
    }),
  maxPooling1d: (spec) => layers.maxPooling1d(pool1d(spec)),
  averagePooling1d: (spec) => layers.averagePooling1d(pool1d(spec)),
  maxPooling2d: (spec) => layers.maxPooling2d(pool2d(spec)),
  averagePooling2d: (spec) => layers.averagePooling2d(pool2d(spec)),
  // Masked pooling: tfjs' mean/max without a mask; only real steps when an embedding's maskZero sends one.
  globalAveragePooling1d: (spec) => new MaskedGlobalAveragePooling1D(common(spec)),
  globalAveragePooling2d: (spec) => layers.globalAveragePooling2d(common(spec)),
  globalMaxPooling1d: (spec) => new MaskedGlobalMaxPooling1D(common(spec)),
  flatten: (spec) => layers.flatten(common(spec)),
  reshape: (spec) => layers.reshape({ ...common(spec), targetShape: spec.targetShape }),
  embedding: (spec, ctx) => {
    const inputDim = spec.inputDim ?? ctx.vocabSize;
    if (inputDim === undefined) throw new Error('embedding needs inputDim: the data has no text or index-category feature to take it from');
    return layers.embedding({
      ...common(spec),
      inputDim,
      outputDim: spec.outputDim,
      maskZero: spec.maskZero,
      embeddingsInitializer: makeInitializer(spec.embeddingsInitializer, 'randomUniform', ctx.seed('embeddings')),
      embeddingsRegularizer: makeRegularizer(spec.regularizer),
    });
  },
  lstm: RECURRENT.lstm,
  gru: RECURRENT.gru,
  simpleRNN: RECURRENT.simpleRNN,
  bidirectional: (spec, ctx) => {
    const inner = spec.layer as RecurrentSpec;
    const rnn = (RECURRENT[inner.type] as (s: RecurrentSpec, c: LayerContext) => RNN)(inner, ctx);
    return layers.bidirectional({ ...common(spec), layer: rnn, mergeMode: spec.mergeMode });
  },
  multiHeadAttention: (spec, ctx) =>
    new MultiHeadAttention({ ...common(spec), numHeads: spec.numHeads, keyDim: spec.keyDim, dropout: spec.dropout, causal: spec.causal, useBias: spec.useBias, maskPadding: spec.maskPadding, seed: ctx.seed('attention') }),
  transformerEncoder: (spec, ctx) =>
    new TransformerEncoder({
      ...common(spec),
      numHeads: spec.numHeads,
      ...(spec.keyDim === undefined ? {} : { keyDim: spec.keyDim }),
      ffDim: spec.ffDim,
      dropout: spec.dropout,
      positionalEmbedding: spec.positionalEmbedding,
      causal: spec.causal,
      epsilon: spec.epsilon,
      maskPadding: spec.maskPadding,
      seed: ctx.seed('encoder'),
    }),
};

/** Builds the tfjs layer for one spec layer. */
export function buildLayer(spec: LayerSpec, ctx: LayerContext): TfLayer {
  return (LAYER_BUILDERS[spec.type] as Builder<LayerType>)(spec, ctx);
}
