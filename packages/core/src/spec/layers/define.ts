/**
 * What one layer type is in the spec: its schema (options, descriptions, defaults) and its shape rule,
 * defined together so a new layer is one entry in one file (see docs/contributing-layers.md).
 * The shared option fields and shape helpers the layer files build on live here too.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { must } from '../../errors.ts';
import { bool, int, num, obj, oneOf, opt, str, tag } from '../fields.ts';

/** A tensor shape without the batch dimension; null where it depends on the data. `ids` marks token ids. */
export interface Shape {
  dims: (number | null)[];
  ids: boolean;
}

/** What a cost rule needs besides the layer's input: the vocabulary an embedding defaults to. */
export interface CostContext {
  vocab: number;
}

/**
 * One layer type: its schema; how it transforms its input shape (or why it cannot take it); its
 * trainable (and moving) values for the memory estimate, from its input dims with the data-dependent
 * ones at their smallest; and the values per example it keeps beyond its output (attention scores,
 * recurrent states), when any.
 */
export interface LayerDef<S extends TObject> {
  schema: S;
  shape: (input: Shape, layer: Static<S>) => Shape | string;
  params: (input: number[], layer: Static<S>, ctx: CostContext) => number;
  kept?: (input: number[], layer: Static<S>) => number;
}

/** Ties a layer's shape rule to its own schema's type. */
export const defineLayer = <S extends TObject>(def: LayerDef<S>): LayerDef<S> => def;

export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'swish', 'gelu', 'hardSigmoid'] as const;
export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'leCunUniform', 'leCunNormal', 'zeros', 'ones', 'orthogonal', 'randomNormal', 'randomUniform'] as const;

const name = opt(str('A name for the layer (used by transfer learning and in the model summary).', { pattern: '^[A-Za-z][A-Za-z0-9_]*$' }));
/** The activation option, with its default. */
export const activation = (dflt: (typeof ACTIVATIONS)[number]) => oneOf(ACTIVATIONS, 'Activation function applied to the output.', dflt);
/** An optional initializer name for one weight. */
export const initializer = (what: string) => opt(oneOf(INITIALIZERS, `Initializer for the ${what}.`));
export const Regularizer = obj(
  {
    l1: opt(num('L1 penalty factor.', { minimum: 0 })),
    l2: opt(num('L2 penalty factor.', { minimum: 0 })),
  },
  'Weight penalty added to the loss.',
);
export const padding = oneOf(['valid', 'same'] as const, 'valid: no padding; same: pad so the output keeps the input size (at stride 1).', 'valid');
/** A 1-D window size or step. */
export const window1d = (description: string, dflt?: number) => int(description, { minimum: 1, ...(dflt === undefined ? {} : { default: dflt }) });
/** A 2-D window: one number for a square, or [height, width]. */
export const window2d = (dflt?: number) =>
  Type.Union([int('Height and width of the window.', { minimum: 1 }), Type.Array(int('Size.', { minimum: 1 }), { minItems: 2, maxItems: 2 })], {
    description: 'Window size: one number for a square window, or [height, width].',
    ...(dflt === undefined ? {} : { default: dflt }),
  });
/** Kernel and bias initializers, the kernel penalty and useBias, for layers with a kernel. */
export const weighted = { kernelInitializer: initializer('kernel'), biasInitializer: initializer('bias'), regularizer: opt(Regularizer), useBias: bool('Add a bias term.', true) };

/** A layer's schema: its `type` tag, the options every layer has (name, trainable), then its own. */
export const layer = <T extends string, P extends TProperties>(type: T, description: string, props: P) =>
  obj({ type: tag(type, description), name, trainable: bool('Whether training updates this layer (false freezes it).', true), ...props }, description);

const RANK_NAMES = ['', 'a flat vector', 'a sequence (length x features)', 'an image (height x width x channels)'];

/** A flat vector of n features. */
export const vec = (n: number | null): Shape => ({ dims: [n], ids: false });
/** One number or a pair, as a pair. */
export const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [must(v[0], 'a validated window has two sizes'), must(v[1], 'a validated window has two sizes')] : [v, v]);
/** A window's output length along one axis (null stays null). */
export const outLen = (n: number | null, k: number, s: number, pad: 'valid' | 'same') => (n === null ? null : pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
/** Why `what` cannot take this input, when it is token ids or not of rank `rank`. */
export const needRank = (input: Shape, rank: number, what: string): string | undefined => {
  if (input.ids) return `${what} needs vectors, but gets token ids; put an embedding layer before it`;
  if (input.dims.length !== rank)
    return `${what} needs ${RANK_NAMES[rank]}, but its input is ${RANK_NAMES[input.dims.length] ?? 'a tensor'} [${input.dims.map((d) => d ?? '?').join(', ')}]`;
  return undefined;
};
/** The rule of layers that keep their input's shape. */
export const same = (input: Shape): Shape => input;
/** The cost rule of layers without weights. */
export const noParams = (): number => 0;
/** The last of a shape's dims (features or channels). */
export const lastDim = (dims: number[]) => must(dims.at(-1), 'a layer input has at least one dim');
/** Dim i of an input whose rank needRank has checked (null where the data decides it). */
export const dim = (input: Shape, i: number) => must(input.dims[i], 'needRank checked the rank');
/** The steps of a sequence input, by the cost rules of layers that need one (its shape rule has checked the rank). */
export const steps = (dims: number[]) => must(dims[0], 'a sequence input has a step axis');
