/**
 * A tfjs-layers model's setup as run params, named like pipeline runs' (`train.optimizer.learningRate`,
 * `model.layers[0].units`, `train.epochs`) so `kiln compare` lines both kinds of run up. The model
 * is duck-typed: only the methods every tfjs-layers version has are called.
 */
import { flattenParams } from '@kiln/core/store';
import type { SavableModel } from './model-files.ts';

/** Something tfjs can serialize: layers and optimizers. */
export interface Configurable {
  getClassName(): string;
  getConfig(): object;
}

/** The parts of a tfjs-layers LayersModel the callback reads. */
export interface FitModel extends SavableModel {
  readonly layers: readonly Configurable[];
  /** A tfjs Optimizer once compiled (its getter throws on some versions before compile). */
  readonly optimizer?: unknown;
  readonly loss?: unknown;
  countParams?(): number;
}

/** What tfjs tells callbacks about a fit (BaseCallback.params); every field optional across versions and fitDataset. */
export type FitParams = Record<string, unknown>;

/** `Dense` -> `dense`, `LSTM` -> `lstm`, `SimpleRNN` -> `simpleRNN`: camelCase as the spec's layer types. */
export function camelName(className: string): string {
  return /^[A-Z0-9]+$/.test(className) ? className.toLowerCase() : className.charAt(0).toLowerCase() + className.slice(1);
}

function isConfigurable(v: unknown): v is Configurable {
  return typeof v === 'object' && v !== null && typeof (v as Configurable).getClassName === 'function' && typeof (v as Configurable).getConfig === 'function';
}

function withoutNulls(config: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== undefined));
}

/** tfjs' auto-generated layer names (`dense_Dense1`) count layers per process; they would make every run differ. */
const AUTO_NAME = /^[a-z0-9]+_[A-Z][A-Za-z0-9]*?\d+$/;

/** A layer's config as a pipeline's layer: its type, no auto name, `inputShape` instead of `batchInputShape` (whose batch size is null). */
function layerParams(layer: Configurable): Record<string, unknown> {
  const { name, batchInputShape, ...config } = withoutNulls(layer.getConfig());
  const out: Record<string, unknown> = { type: camelName(layer.getClassName()) };
  if (typeof name === 'string' && !AUTO_NAME.test(name)) out.name = name;
  if (Array.isArray(batchInputShape)) out.inputShape = batchInputShape.slice(1);
  return { ...out, ...config };
}

function readOptimizer(model: FitModel): unknown {
  try {
    return model.optimizer;
  } catch {
    return undefined; // not compiled yet
  }
}

/** The optimizer (class and config), loss, layer configs, parameter count and fit settings, flattened. */
export function modelParams(model: FitModel, fit: FitParams = {}): Record<string, unknown> {
  const train: Record<string, unknown> = {};
  const optimizer = readOptimizer(model);
  if (isConfigurable(optimizer)) train.optimizer = { name: camelName(optimizer.getClassName()).toLowerCase(), ...withoutNulls(optimizer.getConfig()) };
  if (typeof model.loss === 'string' || Array.isArray(model.loss)) train.loss = model.loss;
  for (const [from, to] of [['epochs', 'epochs'], ['batchSize', 'batchSize'], ['samples', 'samples'], ['steps', 'stepsPerEpoch']] as const) {
    if (typeof fit[from] === 'number') train[to] = fit[from];
  }
  if (typeof fit.doValidation === 'boolean') train.validation = fit.doValidation;
  // Input layers hold only a shape; pipelines' layer lists start at the first real layer, so these do too.
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer').map(layerParams);
  const modelPart: Record<string, unknown> = { layers };
  if (typeof model.countParams === 'function') modelPart.parameters = model.countParams();
  return flattenParams({ train, model: modelPart });
}
