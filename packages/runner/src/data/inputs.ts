/**
 * Several model inputs and several targets: which features feed each graph input, and uniform
 * accessors so callers treat the single-input, single-target case (no `inputs`, no `xs`) the same.
 */
import type { FeatureEntrySpec, PipelineSpec } from '@kiln/core';
import { featuresOfState } from './columns.ts';
import { makeAugmenter } from './augment/index.ts';
import type { Table } from './table.ts';
import { encodeRows, featuresAt, inputLayout } from './transform.ts';
import type { FeatureState, InputInfo, PreprocessState, SplitArrays, TargetInfo } from './types.ts';

type Typed = Float32Array | Int32Array;

/** The graph inputs that pick their features, or undefined when the model takes every feature as one input. */
export function inputGroups(spec: Pick<PipelineSpec, 'model'>): { name: string; features: string[] }[] | undefined {
  const inputs = spec.model.graph?.inputs;
  // One input that names no features takes them all: no groups.
  if (!inputs || (inputs.length === 1 && !inputs[0]?.features)) return undefined;
  return inputs.map((x) => ({ name: x.name, features: x.features ?? [] }));
}

/** Each input's layout from the fitted feature states. */
export function fitInputs(groups: { name: string; features: string[] }[], states: FeatureState[]): InputInfo[] {
  return groups.map((g) => {
    const features = g.features.map((name) => states.findIndex((f) => f.name === name));
    const { inputShape, inputDtype } = inputLayout(featuresAt(states, features));
    return { name: g.name, features, shape: inputShape, dtype: inputDtype };
  });
}

/** Encodes rows `ids` once per input. */
export function encodeInputs(inputs: InputInfo[], states: FeatureState[], rows: Table, ids: Int32Array, lines?: Int32Array): Typed[] {
  return inputs.map((x) => encodeRows(featuresAt(states, x.features), rows, ids, lines, x.features));
}

/** A split's input arrays, one per model input. */
export const splitInputs = (s: SplitArrays): Typed[] => s.xs ?? [s.x];

/** A split's target arrays, one per target. */
export const splitTargets = (s: SplitArrays): Typed[] => s.ys ?? [s.y];

/** The model inputs of prepared data (or a saved state): shape and dtype of each. */
export function dataInputs(d: { inputShape: number[]; inputDtype: 'float32' | 'int32'; inputs?: InputInfo[] }): { name: string; shape: number[]; dtype: 'float32' | 'int32' }[] {
  return d.inputs ?? [{ name: 'input', shape: d.inputShape, dtype: d.inputDtype }];
}

/** The targets of prepared data (or a saved state). */
export const dataTargets = (d: { target: TargetInfo; targets?: TargetInfo[] }): TargetInfo[] => d.targets ?? [d.target];

/** Changes one model input's train rows in place for an epoch; `input` is the input's index. */
export type InputAugmenter = (x: Typed, n: number, epoch: number, input: number) => void;

/** The train augmentation of every model input (each laid out from its own features), or undefined when no feature asks for it. */
export function makeInputAugmenter(entries: readonly FeatureEntrySpec[], state: PreprocessState, seed: number): InputAugmenter | undefined {
  // Column groups stand for one feature per column, as the state's features are laid out.
  const features = featuresOfState(entries, state);
  if (!state.inputs) {
    const only = makeAugmenter(features, state, seed);
    return only && ((x, n, epoch) => only(x, n, epoch));
  }
  const each = state.inputs.map((x) => makeAugmenter(featuresAt(features, x.features), { ...state, features: featuresAt(state.features, x.features), inputShape: x.shape }, seed));
  if (each.every((a) => a === undefined)) return undefined;
  return (x, n, epoch, input) => each[input]?.(x, n, epoch);
}
