/**
 * multiHeadAttention and transformerEncoder as tfjs-layers classes, registered with tfjs
 * serialization so models holding them save and load. Their weight initializers derive from a
 * `seed` kept in the config, so a rebuilt layer starts from the same weights.
 *
 * Padding: an embedding with maskZero sends a [batch, steps] mask (false at id 0) along with its
 * output, and tfjs hands it to each later layer as kwargs.mask. With maskPadding (the default) these
 * layers set the scores of padded keys to -1e9 (inside the score product, see ops.ts), so no step
 * attends to padding, and pass the mask on
 * (to a stacked block, or to the masked pooling of pooling.ts, which then averages real steps only).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import { deriveSeed } from '../../random/seeds.ts';
import { layerNorm, multiHeadSelfAttention, project, type AttentionWeights } from './ops.ts';
import { carryMask, paddingOf, type MaskArg } from './padding.ts';

export { MaskedGlobalAveragePooling1D, MaskedGlobalMaxPooling1D } from './pooling.ts';

type Shape = (number | null)[];

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  keyDim: number;
  dropout?: number;
  causal?: boolean;
  useBias?: boolean;
  /** Ignore padded steps when a padding mask comes with the input (default true). */
  maskPadding?: boolean;
  seed: number;
}

const glorot = (seed: number, role: string) => initializers.glorotUniform({ seed: deriveSeed(seed, role) });
const zeros = () => initializers.zeros();
const ones = () => initializers.ones();
const single = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor3D => (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
const read = <R extends tf.Rank>(v: LayerVariable | undefined) => v?.read() as tf.Tensor<R> | undefined;

/** Adds the query/key/value/output projections of one attention to `layer`; `prefix` keeps weight names distinct. */
function addAttentionWeights(add: (name: string, shape: number[], init: ReturnType<typeof zeros>) => LayerVariable, d: number, units: number, useBias: boolean, seed: number, prefix: string) {
  const w: Record<string, LayerVariable> = {};
  for (const role of ['query', 'key', 'value'] as const) {
    w[role] = add(`${prefix}${role}/kernel`, [d, units], glorot(seed, `${prefix}${role}`));
    if (useBias) w[`${role}Bias`] = add(`${prefix}${role}/bias`, [units], zeros());
  }
  w.output = add(`${prefix}output/kernel`, [units, d], glorot(seed, `${prefix}output`));
  if (useBias) w.outputBias = add(`${prefix}output/bias`, [d], zeros());
  return w;
}

const readAttention = (w: Record<string, LayerVariable>): AttentionWeights => ({
  query: read<tf.Rank.R2>(w.query)!,
  key: read<tf.Rank.R2>(w.key)!,
  value: read<tf.Rank.R2>(w.value)!,
  output: read<tf.Rank.R2>(w.output)!,
  queryBias: read<tf.Rank.R1>(w.queryBias),
  keyBias: read<tf.Rank.R1>(w.keyBias),
  valueBias: read<tf.Rank.R1>(w.valueBias),
  outputBias: read<tf.Rank.R1>(w.outputBias),
});

/**
 * What both attention layers share: the output keeps the input's steps, so its shape and padding
 * mask carry over unchanged, and the config saved with a model is the layer's own args.
 */
abstract class StepwiseLayer<A extends object> extends layers.Layer {
  protected abstract readonly args: A;

  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return carryMask(mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

type MultiHeadAttentionConfig = Required<Omit<MultiHeadAttentionArgs, keyof LayerArgs>>;

/** Multi-head self-attention: [batch, steps, d] -> [batch, steps, d]. */
export class MultiHeadAttention extends StepwiseLayer<MultiHeadAttentionConfig> {
  static className = 'KilnMultiHeadAttention';
  protected readonly args: MultiHeadAttentionConfig;
  private w: Record<string, LayerVariable> = {};

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    this.args = { numHeads: args.numHeads, keyDim: args.keyDim, dropout: args.dropout ?? 0, causal: args.causal ?? false, useBias: args.useBias ?? true, maskPadding: args.maskPadding ?? true, seed: args.seed };
  }

  override build(inputShape: Shape | Shape[]): void {
    const d = (inputShape as Shape)[2];
    if (d === undefined || d === null) throw new Error('attention needs [batch, steps, features] with a known feature size');
    this.w = addAttentionWeights((n, s, i) => this.addWeight(n, s, 'float32', i), d, this.args.numHeads * this.args.keyDim, this.args.useBias, this.args.seed, '');
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const padding = this.args.maskPadding ? paddingOf(kwargs.mask as MaskArg) : undefined;
    return tf.tidy(() => multiHeadSelfAttention(single(inputs), readAttention(this.w), { ...this.args, training: kwargs.training === true, padding }));
  }
}

export interface TransformerEncoderArgs extends LayerArgs {
  numHeads: number;
  /** Defaults to the input features / numHeads. */
  keyDim?: number;
  ffDim: number;
  dropout?: number;
  positionalEmbedding?: boolean;
  causal?: boolean;
  epsilon?: number;
  /** Ignore padded steps when a padding mask comes with the input (default true). */
  maskPadding?: boolean;
  seed: number;
}

type TransformerEncoderConfig = Omit<Required<TransformerEncoderArgs>, keyof LayerArgs | 'keyDim'> & { keyDim?: number };

/** A post-norm transformer encoder block: x (+ positions) -> LN(x + drop(attn(x))) -> LN(h + drop(ffn(h))). */
export class TransformerEncoder extends StepwiseLayer<TransformerEncoderConfig> {
  static className = 'KilnTransformerEncoder';
  protected readonly args: TransformerEncoderConfig;
  private w: Record<string, LayerVariable> = {};
  private attention: Record<string, LayerVariable> = {};

  constructor(args: TransformerEncoderArgs) {
    super(args);
    this.args = {
      numHeads: args.numHeads,
      ...(args.keyDim === undefined ? {} : { keyDim: args.keyDim }),
      ffDim: args.ffDim,
      dropout: args.dropout ?? 0.1,
      positionalEmbedding: args.positionalEmbedding ?? true,
      causal: args.causal ?? false,
      epsilon: args.epsilon ?? 1e-6,
      maskPadding: args.maskPadding ?? true,
      seed: args.seed,
    };
  }

  private keyDim(d: number): number {
    return this.args.keyDim ?? Math.max(1, Math.floor(d / this.args.numHeads));
  }

  override build(inputShape: Shape | Shape[]): void {
    const [, steps, d] = inputShape as [null, number | null, number];
    const { seed, ffDim, positionalEmbedding } = this.args;
    const add = (n: string, s: number[], i: ReturnType<typeof zeros>) => this.addWeight(n, s, 'float32', i);
    if (positionalEmbedding) {
      if (steps === null) throw new Error('transformerEncoder positionalEmbedding needs a fixed sequence length');
      this.w.positions = add('positions/embeddings', [steps, d], initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: deriveSeed(seed, 'positions') }));
    }
    this.attention = addAttentionWeights(add, d, this.args.numHeads * this.keyDim(d), true, seed, 'attention/');
    this.w.norm1Gamma = add('norm1/gamma', [d], ones());
    this.w.norm1Beta = add('norm1/beta', [d], zeros());
    this.w.ff1 = add('ff1/kernel', [d, ffDim], glorot(seed, 'ff1'));
    this.w.ff1Bias = add('ff1/bias', [ffDim], zeros());
    this.w.ff2 = add('ff2/kernel', [ffDim, d], glorot(seed, 'ff2'));
    this.w.ff2Bias = add('ff2/bias', [d], zeros());
    this.w.norm2Gamma = add('norm2/gamma', [d], ones());
    this.w.norm2Beta = add('norm2/beta', [d], zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const padding = this.args.maskPadding ? paddingOf(kwargs.mask as MaskArg) : undefined;
    return tf.tidy(() => {
      const training = kwargs.training === true;
      const { dropout, epsilon } = this.args;
      const drop = (t: tf.Tensor3D): tf.Tensor3D => (training && dropout > 0 ? (tf.dropout(t, dropout) as tf.Tensor3D) : t);
      let x = single(inputs);
      const w = this.w;
      if (w.positions) x = tf.add(x, read<tf.Rank.R2>(w.positions)!) as tf.Tensor3D;
      const attended = multiHeadSelfAttention(x, readAttention(this.attention), { numHeads: this.args.numHeads, keyDim: this.keyDim(x.shape[2]), causal: this.args.causal, dropout: 0, training, padding });
      const h = layerNorm(tf.add(x, drop(attended)), read<tf.Rank.R1>(w.norm1Gamma)!, read<tf.Rank.R1>(w.norm1Beta)!, epsilon);
      const ff = project(tf.relu(project(h, read<tf.Rank.R2>(w.ff1)!, read<tf.Rank.R1>(w.ff1Bias))), read<tf.Rank.R2>(w.ff2)!, read<tf.Rank.R1>(w.ff2Bias));
      return layerNorm(tf.add(h, drop(ff)), read<tf.Rank.R1>(w.norm2Gamma)!, read<tf.Rank.R1>(w.norm2Beta)!, epsilon);
    });
  }
}

// Registration is what lets loadLayersModel rebuild these layers from a saved model.json.
tf.serialization.registerClass(MultiHeadAttention);
tf.serialization.registerClass(TransformerEncoder);
