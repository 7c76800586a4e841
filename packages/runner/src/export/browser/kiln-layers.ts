/**
 * kiln-layers.js, written beside an exported model that holds a layer tfjs has no standard equivalent
 * for: Kiln's multi-head attention, transformer encoder and mask-aware global pooling (pooling that a
 * padding mask reaches; without a mask the export writes tfjs' own GlobalAveragePooling1D instead).
 * `registerKilnLayers(tf)` defines them on the page's own TensorFlow.js and registers them under the
 * class names model.json uses, before tf.loadLayersModel. Inference only: the same maths as
 * model/attention (ops.ts), without dropout; the module imports nothing.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { initializers as tflInitializers, layers as tflLayers, LayerVariable } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

type T3 = tfc.Tensor3D;
type T2 = tfc.Tensor2D;
type T1 = tfc.Tensor1D;
type T4 = tfc.Tensor4D;
type Shape = (number | null)[];
type Config = Record<string, unknown> & { name?: string };

/** The page's TensorFlow.js (the @tensorflow/tfjs bundle): ops, layers and serialization. */
export type TfLib = typeof tfc & { layers: typeof tflLayers; initializers: typeof tflInitializers };

/** The Kiln class names this module registers (model.json's class_name). */
export const KILN_LAYER_CLASSES = ['KilnMultiHeadAttention', 'KilnTransformerEncoder', 'KilnMaskedGlobalAveragePooling1D', 'KilnMaskedGlobalMaxPooling1D'];

/** Attention weights as in model/attention/ops.ts. */
interface AttentionWeights {
  query: T2;
  key: T2;
  value: T2;
  output: T2;
  queryBias?: T1;
  keyBias?: T1;
  valueBias?: T1;
  outputBias?: T1;
}

/** The ops of model/attention/ops.ts on the given tf. */
function attentionOps(tf: TfLib) {
  const project = (x: T3, w: T2, bias?: T1): T3 => {
    const [b, t, d] = x.shape;
    const flat = tf.matMul(tf.reshape(x, [b * t, d]), w);
    return tf.reshape(bias ? tf.add(flat, bias) : flat, [b, t, w.shape[1]]);
  };
  const splitHeads = (x: T3, h: number, k: number): T4 => tf.transpose(tf.reshape(x, [x.shape[0], x.shape[1], h, k]), [0, 2, 1, 3]);
  const attend = (x: T3, w: AttentionWeights, o: { numHeads: number; keyDim: number; causal: boolean; padding?: T2 }): T3 => {
    const [b, t] = x.shape;
    const { numHeads: h, keyDim: k } = o;
    let q = tf.div(splitHeads(project(x, w.query, w.queryBias), h, k), Math.sqrt(k)) as T4;
    let key = splitHeads(project(x, w.key, w.keyBias), h, k);
    const v = splitHeads(project(x, w.value, w.valueBias), h, k);
    if (o.padding) {
      const keep = tf.reshape(tf.cast(o.padding, 'float32'), [b, 1, t, 1]);
      const bias = tf.tile(tf.mul(tf.sub(keep, 1), 1e9), [1, h, 1, 1]) as T4;
      q = tf.concat([q, tf.ones([b, h, t, 1])], 3);
      key = tf.concat([tf.mul(key, keep) as T4, bias], 3);
    }
    let scores = tf.matMul(q, key, false, true) as T4;
    if (o.causal) {
      const allowed = tf.cast(tf.reshape(tf.linalg.bandPart(tf.ones([t, t]), -1, 0), [1, 1, t, t]), 'float32');
      scores = tf.add(tf.mul(scores, allowed), tf.mul(tf.sub(allowed, 1), 1e9));
    }
    const context = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores) as T4, v), [0, 2, 1, 3]), [b, t, h * k]) as T3;
    return project(context, w.output, w.outputBias);
  };
  const layerNorm = (x: T3, gamma: T1, beta: T1, epsilon: number): T3 => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
  };
  const maskedMean = (x: T3, padding?: T2): T2 => {
    if (!padding) return tf.mean(x, 1);
    const m = tf.expandDims(tf.cast(padding, 'float32'), 2);
    return tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1));
  };
  const maskedMax = (x: T3, padding?: T2): T2 => {
    if (!padding) return tf.max(x, 1);
    const m = tf.expandDims(tf.cast(padding, 'float32'), 2);
    const max = tf.max(tf.add(x, tf.mul(tf.sub(1, m), -1e9)), 1);
    return tf.where(tf.greater(tf.sum(m, 1), 0), max, tf.zerosLike(max)) as T2;
  };
  return { project, attend, layerNorm, maskedMean, maskedMax };
}

/** The [batch, steps] padding mask handed to a single-input layer, if any. */
const paddingOf = (mask: unknown): T2 | undefined => ((Array.isArray(mask) ? mask[0] : mask) ?? undefined) as T2 | undefined;
const first = (inputs: tfc.Tensor | tfc.Tensor[]): T3 => (Array.isArray(inputs) ? inputs[0] : inputs) as T3;

/** Defines Kiln's layers on `tf` and registers them for tf.loadLayersModel (safe to call twice). */
export function registerKilnLayers(tf: TfLib): void {
  const ops = attentionOps(tf);
  const Base = tf.layers.Layer as unknown as new (config: Config) => InstanceType<typeof tflLayers.Layer>;
  const zeros = () => tf.initializers.zeros();
  const read = (v: LayerVariable | undefined) => v?.read();

  /** Layers whose output keeps the input's steps (and so its mask). */
  class Stepwise extends Base {
    protected readonly cfg: Config;
    protected w: Record<string, LayerVariable> = {};
    constructor(config: Config) {
      super(config);
      this.cfg = config;
      this.supportsMasking = true;
    }
    override computeMask(_inputs: tfc.Tensor | tfc.Tensor[], mask?: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
      return (paddingOf(mask) ?? null) as tfc.Tensor;
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      return shape as Shape;
    }
    override getConfig(): tfc.serialization.ConfigDict {
      return { ...super.getConfig(), ...(this.cfg as tfc.serialization.ConfigDict) };
    }
    /** The query/key/value/output projections, named as Kiln names them. */
    protected addAttention(d: number, units: number, useBias: boolean, prefix: string): Record<string, LayerVariable> {
      const w: Record<string, LayerVariable> = {};
      for (const role of ['query', 'key', 'value'] as const) {
        w[role] = this.addWeight(`${prefix}${role}/kernel`, [d, units], 'float32', zeros());
        if (useBias) w[`${role}Bias`] = this.addWeight(`${prefix}${role}/bias`, [units], 'float32', zeros());
      }
      w.output = this.addWeight(`${prefix}output/kernel`, [units, d], 'float32', zeros());
      if (useBias) w.outputBias = this.addWeight(`${prefix}output/bias`, [d], 'float32', zeros());
      return w;
    }
    protected attentionWeights(w: Record<string, LayerVariable>): AttentionWeights {
      return { query: read(w.query) as T2, key: read(w.key) as T2, value: read(w.value) as T2, output: read(w.output) as T2, queryBias: read(w.queryBias) as T1 | undefined, keyBias: read(w.keyBias) as T1 | undefined, valueBias: read(w.valueBias) as T1 | undefined, outputBias: read(w.outputBias) as T1 | undefined };
    }
  }

  class KilnMultiHeadAttention extends Stepwise {
    static className = 'KilnMultiHeadAttention';
    override build(shape: Shape | Shape[]): void {
      const d = Number((shape as Shape)[2]);
      this.w = this.addAttention(d, Number(this.cfg.numHeads) * Number(this.cfg.keyDim), this.cfg.useBias !== false, '');
      this.built = true;
    }
    override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs): tfc.Tensor {
      const padding = this.cfg.maskPadding === false ? undefined : paddingOf(kwargs.mask);
      return tf.tidy(() => ops.attend(first(inputs), this.attentionWeights(this.w), { numHeads: Number(this.cfg.numHeads), keyDim: Number(this.cfg.keyDim), causal: this.cfg.causal === true, padding }));
    }
  }

  class KilnTransformerEncoder extends Stepwise {
    static className = 'KilnTransformerEncoder';
    private attention: Record<string, LayerVariable> = {};
    private keyDim(d: number): number {
      return this.cfg.keyDim === undefined ? Math.max(1, Math.floor(d / Number(this.cfg.numHeads))) : Number(this.cfg.keyDim);
    }
    override build(shape: Shape | Shape[]): void {
      const [, steps, d] = (shape as Shape).map(Number) as [number, number, number];
      const ff = Number(this.cfg.ffDim);
      const add = (n: string, s: number[]) => this.addWeight(n, s, 'float32', zeros());
      if (this.cfg.positionalEmbedding !== false) this.w.positions = add('positions/embeddings', [steps, d]);
      this.attention = this.addAttention(d, Number(this.cfg.numHeads) * this.keyDim(d), true, 'attention/');
      Object.assign(this.w, { norm1Gamma: add('norm1/gamma', [d]), norm1Beta: add('norm1/beta', [d]), ff1: add('ff1/kernel', [d, ff]), ff1Bias: add('ff1/bias', [ff]), ff2: add('ff2/kernel', [ff, d]), ff2Bias: add('ff2/bias', [d]), norm2Gamma: add('norm2/gamma', [d]), norm2Beta: add('norm2/beta', [d]) });
      this.built = true;
    }
    override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs): tfc.Tensor {
      const padding = this.cfg.maskPadding === false ? undefined : paddingOf(kwargs.mask);
      const epsilon = this.cfg.epsilon === undefined ? 1e-6 : Number(this.cfg.epsilon);
      return tf.tidy(() => {
        const w = this.w;
        let x = first(inputs);
        if (w.positions) x = tf.add(x, read(w.positions) as T2);
        const attended = ops.attend(x, this.attentionWeights(this.attention), { numHeads: Number(this.cfg.numHeads), keyDim: this.keyDim(x.shape[2]), causal: this.cfg.causal === true, padding });
        const h = ops.layerNorm(tf.add(x, attended), read(w.norm1Gamma) as T1, read(w.norm1Beta) as T1, epsilon);
        const ff = ops.project(tf.relu(ops.project(h, read(w.ff1) as T2, read(w.ff1Bias) as T1)), read(w.ff2) as T2, read(w.ff2Bias) as T1);
        return ops.layerNorm(tf.add(h, ff), read(w.norm2Gamma) as T1, read(w.norm2Beta) as T1, epsilon);
      });
    }
  }

  /** Global pooling over the real steps when a padding mask comes with the input. */
  class MaskedPooling extends Base {
    constructor(config: Config) {
      super(config);
      this.supportsMasking = true;
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const [batch = null, , channels = null] = shape as Shape;
      return [batch, channels];
    }
    override computeMask(): tfc.Tensor {
      return null as unknown as tfc.Tensor;
    }
  }
  class KilnMaskedGlobalAveragePooling1D extends MaskedPooling {
    static className = 'KilnMaskedGlobalAveragePooling1D';
    override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs): tfc.Tensor {
      return tf.tidy(() => ops.maskedMean(first(inputs), paddingOf(kwargs.mask)));
    }
  }
  class KilnMaskedGlobalMaxPooling1D extends MaskedPooling {
    static className = 'KilnMaskedGlobalMaxPooling1D';
    override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs): tfc.Tensor {
      return tf.tidy(() => ops.maskedMax(first(inputs), paddingOf(kwargs.mask)));
    }
  }

  for (const cls of [KilnMultiHeadAttention, KilnTransformerEncoder, KilnMaskedGlobalAveragePooling1D, KilnMaskedGlobalMaxPooling1D])
    tf.serialization.registerClass(cls as unknown as tfc.serialization.SerializableConstructor<tfc.serialization.Serializable>);
}
