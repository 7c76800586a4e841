/** Transfer learning: a model that starts from a stored run's trained layers (some frozen) with the spec's layers on top. */
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KilnFailure, kilnError, type ModelSpec } from '@kiln/core';
import { must } from '@kiln/core/errors';
import type { PreprocessState } from '../data/types.ts';
import { applyStack, checkStack, type ModelData } from './stack.ts';

type FromSpec = NonNullable<ModelSpec['from']>;

/** A stored run's trained model and preprocessing state. */
export interface ParentRun {
  model: LayersModel;
  state: PreprocessState;
}

/**
 * Loads the parent run named in model.from, reporting failures at `path`. The caller supplies it
 * (run/ passes the store's artifact loader) so that model/ builds models and never reads the store.
 */
export type LoadParent = (runId: string, path: string) => Promise<ParentRun>;

const fail = (path: string, message: string, hint?: string): never => {
  throw new KilnFailure(kilnError('model/from', path, message, hint));
};

/** The parent must read the same inputs: same shape, dtype and, for text, the same vocabulary (ids mean the same tokens). */
function checkSameInputs(parent: PreprocessState, data: ModelData, runId: string, at: string): void {
  const same = parent.inputDtype === data.inputDtype && parent.inputShape.join('x') === data.inputShape.join('x');
  if (!same) fail(at, `run ${runId} takes inputs of shape [${parent.inputShape.join(', ')}] (${parent.inputDtype}), but this pipeline's features give [${data.inputShape.join(', ')}] (${data.inputDtype})`, 'use the same data.features as the parent run');
  parent.features.forEach((f, i) => {
    const mine = data.state.features[i];
    if (f.type === 'text' && mine?.type === 'text' && f.vocab.join('\n') !== mine.vocab.join('\n'))
      fail(at, `the text feature ${f.name} has another vocabulary than in run ${runId}, so the same token ids would mean other words`, 'fit on the same data as the parent, or start from an image or numeric model');
  });
}

/** Applies `freeze` to the kept layers: true freezes all, false none, a list only those names (each must exist). */
function freezeKept(kept: LayersModel['layers'], freeze: FromSpec['freeze']): void {
  const names = new Set(kept.map((l) => l.name));
  if (Array.isArray(freeze)) freeze.forEach((n, i) => names.has(n) || fail(`model.from.freeze[${i}]`, `no kept layer is named ${n}`, `kept layers: ${[...names].join(', ')}`));
  for (const layer of kept) layer.trainable = Array.isArray(freeze) ? !freeze.includes(layer.name) : !freeze;
}

/** Builds the transfer model for `spec` (which has `from`): the parent's layers up to `upTo`, then `spec.layers`, seeded from `seed`. */
export async function buildFromRun(spec: ModelSpec, data: ModelData, seed: number, loadParent: LoadParent): Promise<LayersModel> {
  const from = spec.from ?? fail('model.from', 'model.from is missing');
  // model.from.model (a registered model) is resolved to its run by the caller; errors belong at the field written
  const at = from.model !== undefined ? 'model.from.model' : 'model.from.run';
  const runId = from.run ?? fail(at, `model.from.model ${from.model ?? ''} was not resolved to a run`);
  const layers = spec.layers ?? [];
  const place = {
    path: 'model.layers',
    seedLabels: (i: number) => ['layer', i],
    defaultName: (i: number, type: string) => `new_${type}_${i}`,
    // Loaded layers keep their saved names, which tfjs' own counters in this process may hand out again.
    taken: new Set<string>(),
    target: data.target,
  };
  // Checked before the parent loads, so a misfit spec fails without touching the store.
  checkStack(layers, data, place);
  const parent = await loadParent(runId, at);
  checkSameInputs(parent.state, data, runId, at);
  const all = parent.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const cut = from.upTo === undefined ? all.length - 2 : all.findIndex((l) => l.name === from.upTo);
  if (cut < 0) fail(from.upTo === undefined ? at : 'model.from.upTo', from.upTo === undefined ? `run ${runId}'s model has only one layer: nothing is left once its output layer goes` : `run ${runId}'s model has no layer named ${from.upTo}`, `its layers: ${all.map((l) => l.name).join(', ')}`);
  const kept = all.slice(0, cut + 1);
  freezeKept(kept, from.freeze);
  for (const l of parent.model.layers) place.taken.add(l.name);
  const out = applyStack(layers, must(kept[cut], 'kept ends at cut').output as SymbolicTensor, data, seed, place);
  return functionalModel({ inputs: parent.model.inputs, outputs: out });
}
