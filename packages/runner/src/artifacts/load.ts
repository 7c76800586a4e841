/**
 * Loading a stored run's trained model and preprocessing state, for predicting and for model.from:
 * the store's record says which files the run saved, and each is checked against its recorded size
 * and sha256 before anything reads it. Files kept in the store's tables (a PostgreSQL store) are
 * first copied into the local artifact cache (cache.ts), so any machine on the store loads them.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { blobInfo, getRun, openStore, type ArtifactRecord, type Store } from '@kiln/core/store';
import type { PreprocessState } from '../data/types.ts';
import { MODEL_FILE } from '../model/files.ts';
import { loadModel } from '../model/io.ts';
import { PREPROCESS_FILE } from './files.ts';
import { artifactCacheDir, materializeRun } from './cache.ts';
import { MODEL_KINDS, verifyModelArtifacts } from './verify.ts';

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
    const dir = await modelFolder(s, runId, run.artifacts, model, path);
    const state = JSON.parse(await readFile(join(dir, PREPROCESS_FILE), 'utf8')) as PreprocessState;
    return { model: await loadModel(dir, MODEL_FILE), state };
  } finally {
    s.close();
  }
}

/** A local folder with the run's model files, checked: the artifacts folder, or the cache for files kept in the store. */
async function modelFolder(s: Store, runId: string, records: readonly ArtifactRecord[], model: ArtifactRecord, path: string): Promise<string> {
  const needed = records.filter((a) => MODEL_KINDS.has(a.kind));
  const inStore = await Promise.all(needed.map(async (a) => (await blobInfo(s, a.sha256)) !== undefined));
  if (!inStore.every(Boolean)) {
    await verifyModelArtifacts(s.artifactsDir, runId, needed, path);
    return join(s.artifactsDir, dirname(model.path));
  }
  try {
    return await materializeRun(s, runId, needed, artifactCacheDir());
  } catch (e) {
    // Under a spec path (model.from.run) the error belongs at that line of the pipeline.
    if (e instanceof KilnFailure && path) throw new KilnFailure(e.errors.map(({ file, ...err }) => ({ ...err, path, hint: file === undefined ? err.hint : `the file is ${file}; ${err.hint ?? ''}` })));
    throw e;
  }
}
