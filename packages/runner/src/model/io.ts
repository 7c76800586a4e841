/** Saving and loading a model as files in the tfjs layers format: model.json + weights.bin. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
// Registers Kiln's LSTM under tfjs' 'LSTM' name, so loaded models take the fused path on wasm.
import './fused-lstm.ts';
// Registers Kiln's own layer classes so saved models holding them load.
import './attention/layers.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

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

/** Loads a model saved by saveModel (or any tfjs layers model whose weight files sit beside its JSON). */
export async function loadModel(dir: string, file = MODEL_FILE): Promise<LayersModel> {
  const json = JSON.parse(await readFile(join(dir, file), 'utf8')) as tf.io.ModelJSON;
  const manifest = json.weightsManifest ?? [];
  const buffers = await Promise.all(manifest.flatMap((group) => group.paths.map((p) => readFile(join(dir, p)))));
  const weightData = tf.io.CompositeArrayBuffer.join(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  const weightSpecs = manifest.flatMap((group) => group.weights);
  return loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }));
}
