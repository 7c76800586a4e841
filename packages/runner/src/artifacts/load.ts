/**
 * Loading a stored run's trained model and preprocessing state, for predicting and for model.from:
 * the store's record says which files the run saved, and each is checked against its recorded size
 * and sha256 before anything reads it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { getRun, openStore } from '@kiln/core/store';
import type { PreprocessState } from '../data/types.ts';
import { MODEL_FILE } from '../model/files.ts';
import { loadModel } from '../model/io.ts';
import { PREPROCESS_FILE } from './files.ts';
import { verifyModelArtifacts } from './verify.ts';

/** A loaded run: its model and the preprocessing its inputs need. */
export interface LoadedRun {
  model: LayersModel;
  state: PreprocessState;
}

/**
 * Loads a run's model and preprocessing state from the store's artifacts, once their sizes and sha256
 * match what the store recorded. `path` is the spec path errors are reported at (model.from.run).
 */
export async function loadRun(runId: string, store?: string, path = ''): Promise<LoadedRun> {
  const s = await openStore(store, { mode: 'read' });
  try {
    const run = await getRun(s, runId);
    if (!run) throw new KilnFailure(kilnError('predict/no-such-run', path, `no run with id ${runId}`, 'list runs with `kiln runs`'));
    const model = run.artifacts.find((a) => a.kind === 'model');
    // A k-fold parent keeps no model of its own: each fold run does.
    const folds = run.folds.length > 0 ? `; it is a k-fold parent: pick one of its fold runs (${run.folds.map((f) => f.id).join(', ')})` : '';
    if (!model) throw new KilnFailure(kilnError('predict/no-model', path, `run ${runId} has no saved model (status ${run.status})`, `only finished or pruned runs save a model${folds}`));
    // A run tracked from user code (startRun + kilnCallback) saves a model but not Kiln's preprocessing of its inputs.
    if (!run.artifacts.some((a) => a.kind === 'preprocess')) {
      const source = run.tags['kiln.source'] ? ` (it was tracked from ${run.tags['kiln.source']})` : '';
      throw new KilnFailure(kilnError('predict/not-a-pipeline-run', path, `run ${runId} was not trained from a pipeline${source}: it has a model but no preprocessing state`, 'load its model.json with tf.loadLayersModel in your own code, or pick a pipeline run'));
    }
    await verifyModelArtifacts(s.artifactsDir, runId, run.artifacts, path);
    const dir = join(s.artifactsDir, dirname(model.path));
    const state = JSON.parse(await readFile(join(dir, PREPROCESS_FILE), 'utf8')) as PreprocessState;
    return { model: await loadModel(dir, MODEL_FILE), state };
  } finally {
    s.close();
  }
}
