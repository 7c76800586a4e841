/** Saving and loading a model as files in the tfjs layers format: model.json + weights.bin. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { KilnFailure, kilnError } from '@kiln/core/errors';
// Registers Kiln's LSTM under tfjs' 'LSTM' name, so loaded models take the fused path on wasm.
import './fused-lstm.ts';
// Registers Kiln's own layer classes so saved models holding them load.
import './attention/layers.ts';

import { MODEL_FILE, WEIGHTS_FILE } from './files.ts';

/** Writes the model to `dir` (created if needed) as `<name>.json` + its weights file; returns both paths. */
export async function saveModel(model: LayersModel, dir: string, name = 'model'): Promise<{ modelJson: string; weightsBin: string }> {
  await mkdir(dir, { recursive: true });
  const weightsName = name === 'model' ? WEIGHTS_FILE : `${name}.weights.bin`;
  const modelJson = join(dir, `${name}.json`);
  const weightsBin = join(dir, weightsName);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_core}`,
        convertedBy: 'Kiln',
        weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(modelJson, JSON.stringify(json));
      await writeFile(weightsBin, new Uint8Array(weights));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { modelJson, weightsBin };
}

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1 };

/** Reads one saved file, or a KilnFailure naming it (a raw ENOENT says nothing about which run). */
async function readSaved(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KilnFailure(kilnError('model/file-missing', '', `cannot read the saved model file ${join(dir, name)} (${code === 'ENOENT' ? 'it is missing' : code})`, 'the run\'s files were moved or deleted; train it again'));
  }
}

/** Loads a model saved by saveModel (or any tfjs layers model whose weight files sit beside its JSON). */
export async function loadModel(dir: string, file = MODEL_FILE): Promise<LayersModel> {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse((await readSaved(dir, file)).toString('utf8')) as tf.io.ModelJSON;
  } catch (e) {
    if (e instanceof KilnFailure) throw e;
    throw new KilnFailure(kilnError('model/unreadable', '', `the saved model ${join(dir, file)} is not valid JSON: ${(e as Error).message}`, 'the file was damaged; train the run again'));
  }
  const manifest = json.weightsManifest ?? [];
  const buffers = await Promise.all(manifest.flatMap((group) => group.paths.map((p) => readSaved(dir, p))));
  // tfjs would fail deep inside with "tensor should have N values but has M": say which file is short first.
  const expected = manifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER[w.dtype] ?? 4), 0);
  const actual = buffers.reduce((n, b) => n + b.byteLength, 0);
  if (actual !== expected)
    throw new KilnFailure(kilnError('model/weights-size', '', `the weights of ${join(dir, file)} (${manifest.flatMap((g) => g.paths).join(', ')}) hold ${actual} bytes, but its layers need ${expected}`, 'the weights file is truncated or belongs to another model; train the run again'));
  const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  const weightSpecs = manifest.flatMap((group) => group.weights);
  return loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }));
}
