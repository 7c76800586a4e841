/**
 * The fitted preprocessing of an exported model, applied without Kiln: raw rows (the pipeline's input
 * columns) to the model's input values, and the model's outputs to labels, probabilities or values in the
 * target's own units. Bundled into the exported `kiln-model.js`, so it imports only its encoders (encoders.ts)
 * and types; every rule is the one data/preprocess and predict/ apply in `kiln predict`, which
 * runtime.test.ts checks value by value.
 */
import { encoder, InputError, type Out } from './encoders.ts';
import type { FeatureState, PreprocessState, TargetInfo } from '../../data/types.ts';

/** One raw row: column name -> value as read from a CSV (text) or JSON (any value). */
export type RawRow = Record<string, unknown>;

/** The part of TensorFlow.js this module needs: making a tensor (the page's own tf is passed in). */
export interface TensorMaker<T> {
  tensor(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32'): T;
}

/** What toPredictions reads of a model output: its values and shape (a tfjs Tensor has both). */
export interface OutputLike {
  shape: number[];
  dataSync(): ArrayLike<number>;
}

/** One head's result, as `kiln predict` writes it. */
export type HeadPrediction = { class: string; probabilities: Record<string, number> } | { value: number };
/** One row's prediction, as a line of `kiln predict`'s JSONL. */
export type Prediction = ({ row: number } & HeadPrediction) | { row: number; outputs: Record<string, HeadPrediction> };

export { InputError } from './encoders.ts';

/** One model input: the features it takes (positions in state.features), its example shape and dtype. */
export interface InputPlan {
  name: string;
  features: number[];
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** The model's inputs, in model order: one taking every feature, or the graph's named inputs. */
export function inputPlans(state: PreprocessState): InputPlan[] {
  if (state.inputs) return state.inputs.map((x) => ({ ...x }));
  return [{ name: 'input', features: state.features.map((_, i) => i), shape: state.inputShape, dtype: state.inputDtype }];
}

/** The raw columns the model reads, in feature order. */
export function inputColumns(state: PreprocessState): string[] {
  return state.features.map((f) => f.name);
}

/** Positions of the rows a `missing: drop` feature keeps (all rows otherwise). */
export function keptRows(state: PreprocessState, rows: readonly RawRow[]): number[] {
  const droppers = state.features.filter((f) => encoder(f).drops !== undefined);
  return rows.flatMap((r, i) => (droppers.some((f) => encoder(f).drops?.(f, r[f.name]) ?? false) ? [] : [i]));
}

/** The values of each model input for rows `kept`, row-major; throws an InputError naming a row and a column that cannot be read. */
export function encodeInputs(state: PreprocessState, rows: readonly RawRow[], kept: readonly number[]): { plan: InputPlan; values: Out }[] {
  if (rows.length > 0) {
    const seen = new Set(rows.flatMap((r) => Object.keys(r)));
    const absent = inputColumns(state).filter((c) => !seen.has(c));
    if (absent.length > 0) throw new InputError(`the rows have no column ${absent.map((c) => JSON.stringify(c)).join(', ')}; the model reads ${inputColumns(state).map((c) => JSON.stringify(c)).join(', ')}`);
  }
  return inputPlans(state).map((plan) => {
    const features = plan.features.map((i) => state.features[i]).filter((f): f is FeatureState => f !== undefined);
    const widths = features.map((f) => encoder(f).shape(f).reduce((a, b) => a * b, 1));
    const width = widths.reduce((a, b) => a + b, 0);
    const values = plan.dtype === 'int32' ? new Int32Array(kept.length * width) : new Float32Array(kept.length * width);
    let col = 0;
    features.forEach((f, j) => {
      kept.forEach((r, k) => encoder(f).encode(f, rows[r]?.[f.name], values, k * width + col, r));
      col += widths[j] ?? 0;
    });
    return { plan, values };
  });
}

/** Raw rows as the model's input tensors (one tensor, or one per input in model order) and the positions of the rows kept. */
export function toInputs<T>(state: PreprocessState, rows: readonly RawRow[], tf: TensorMaker<T>): { inputs: T | T[]; kept: number[] } {
  const kept = keptRows(state, rows);
  const tensors = encodeInputs(state, rows, kept).map(({ plan, values }) => tf.tensor(values, [kept.length, ...plan.shape], plan.dtype));
  return { inputs: tensors.length === 1 && tensors[0] !== undefined ? tensors[0] : tensors, kept };
}

/** A regression output back in the target's units (standardized, or log1p then standardized, at training). */
export function unscale(t: TargetInfo, v: number): number {
  if (!t.scale) return v;
  const z = v * t.scale.std + t.scale.mean;
  return t.scale.kind === 'log' ? Math.expm1(z) : z;
}

/** One row's result for one head, from that head's [n, width] values. */
function headResult(t: TargetInfo, values: ArrayLike<number>, width: number, i: number): HeadPrediction {
  const classes = t.classes ?? [];
  const labelled = (probs: number[], best: number): HeadPrediction => ({ class: classes[best] ?? String(best), probabilities: Object.fromEntries(probs.map((p, k) => [classes[k] ?? String(k), p])) });
  if (t.type === 'multiclass') {
    const probs = Array.from({ length: width }, (_, k) => values[i * width + k] ?? NaN);
    return labelled(probs, probs.indexOf(Math.max(...probs)));
  }
  const v = values[i] ?? NaN;
  return t.type === 'regression' ? { value: unscale(t, v) } : labelled([1 - v, v], v >= 0.5 ? 1 : 0);
}

/** The model's output (a tensor, or one per head) as predictions for rows `kept` (default: every output row), the same objects `kiln predict` prints. */
export function toPredictions(state: PreprocessState, output: OutputLike | OutputLike[], rows?: readonly number[]): Prediction[] {
  const list = Array.isArray(output) ? output : [output];
  const outs = list.map((o) => ({ values: o.dataSync(), width: o.shape[1] ?? 1 }));
  const kept = rows ?? Array.from({ length: list[0]?.shape[0] ?? 0 }, (_, i) => i);
  const targets = state.targets ?? [state.target];
  if (!state.outputs) {
    const out = outs[0];
    if (!out) throw new InputError('the model gave no output');
    return kept.map((row, i) => ({ row, ...headResult(state.target, out.values, out.width, i) }));
  }
  const heads = state.outputs.map((h, k) => ({ name: h.name, target: targets[h.target], out: outs[k] }));
  return kept.map((row, i) => ({
    row,
    outputs: Object.fromEntries(heads.flatMap(({ name, target, out }) => (target && out ? [[name, headResult(target, out.values, out.width, i)]] : []))),
  }));
}
