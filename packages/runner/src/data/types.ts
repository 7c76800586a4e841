/**
 * The contract between the data stage and the model/training stages: plain typed arrays, so the
 * data stage needs no tfjs and the training stage never sees raw rows.
 */
import type { DateEncoding } from '@kiln/core';

/** One split, row-major: `x` holds n * prod(inputShape) values, `y` holds n * targetWidth values. */
export interface SplitArrays {
  n: number;
  /** Float32Array for numeric/image/one-hot inputs; Int32Array for token ids (text, index categories). */
  x: Float32Array | Int32Array;
  /** Class index (int32) for binary/multiclass (binary: 0/1), the value (float32) for regression. */
  y: Float32Array | Int32Array;
  /** Row numbers in the source (0-based, header excluded), for traceability and leakage tests. */
  rows: Int32Array;
  /** With several model inputs (PreparedData.inputs): one array per input, in input order; `x` is the first. */
  xs?: (Float32Array | Int32Array)[];
  /** With several targets (PreparedData.targets): one array per target, in target order; `y` is the first. */
  ys?: (Float32Array | Int32Array)[];
}

/** One model input of a graph that splits the features: which features feed it, and its example shape and dtype. */
export interface InputInfo {
  name: string;
  /** Indices into PreprocessState.features, in the input's order. */
  features: number[];
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** What the target looks like after preprocessing. */
export interface TargetInfo {
  name: string;
  type: 'binary' | 'multiclass' | 'regression';
  /** Class labels in index order (binary: [negative, positive]); absent for regression. */
  classes?: string[];
  /** Rows of each class in the train split, in class order (for balanced class weights); absent for regression and in older states. */
  counts?: number[];
  /** Regression: how the values were scaled for training (absent: raw values, as in states saved before scaling existed). */
  scale?: TargetScale;
}

/** A fitted regression target scaling: standard is (y - mean) / std; log is (log1p(y) - mean) / std, mean and std of log1p(y) on train. */
export interface TargetScale {
  kind: 'standard' | 'log';
  mean: number;
  std: number;
}

/** The fitted preprocessing state, JSON-serializable; saved with the model so predict applies the same transform. */
export interface PreprocessState {
  version: 1;
  /** Per feature, in spec order: the fitted statistics (means/stds, min/max, category list, vocabulary, ...). */
  features: FeatureState[];
  target: TargetInfo;
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  /** Present when the model has named inputs that each take some features; inputShape/inputDtype are the first's. */
  inputs?: InputInfo[];
  /** Present with several targets (data.targets); `target` is the first. */
  targets?: TargetInfo[];
  /** The columns each data.features group (`columns: pixel*`) took, in order; absent without groups. */
  columnGroups?: { feature: number; columns: string[] }[];
  /** What data preparation warned about (rows dropped for missing values, id-like columns); absent when nothing. */
  warnings?: string[];
  /** Saved with a model of several outputs: each output's name and the index of its target in `targets`, in model-output order. */
  outputs?: { name: string; target: number }[];
}

export type FeatureState =
  | { name: string; type: 'numeric'; normalize: 'standardize' | 'minmax' | 'none'; missing: 'mean' | 'drop' | 'error'; mean: number; std: number; min: number; max: number; missingValues?: string[] /* absent: the default markers */ }
  // trim and lowercase are absent in states saved before they existed: those compare values as written.
  | { name: string; type: 'category'; encoding: 'oneHot' | 'index'; categories: string[] /* index 0 = OOV bucket */; trim?: boolean; lowercase?: boolean; missingValues?: string[] }
  | { name: string; type: 'text'; lowercase: boolean; tokenizer: 'words' | 'chars'; maxLength: number; padding: 'pre' | 'post'; truncation: 'pre' | 'post'; vocab: string[] /* id 0 = pad, 1 = OOV */; missingValues?: string[] /* the markers fitted with; absent in states saved before text had them: only empty and null cells are missing */ }
  | { name: string; type: 'image'; shape: number[]; scale: number }
  | { name: string; type: 'date'; format?: string; encodings: DateEncoding[]; missing: 'mean' | 'drop' | 'error'; missingValues?: string[]; min: number; range: number; mean: number /* train instants, ms */ };

/** The data stage's output. */
export interface PreparedData {
  train: SplitArrays;
  val: SplitArrays;
  test: SplitArrays;
  /** Shape of one example without the batch dimension, e.g. [9], [200], [28, 28, 1]. */
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  target: TargetInfo;
  /** As in PreprocessState: present with feature-splitting inputs, and with several targets. */
  inputs?: InputInfo[];
  targets?: TargetInfo[];
  state: PreprocessState;
  /** sha256 of the source bytes + the data spec: the cache key and the run's data fingerprint. */
  fingerprint: string;
  /** Whether this came from the preprocessed-data cache. */
  cached: boolean;
}
