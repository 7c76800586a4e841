/**
 * Saving a tfjs-layers model to model.json + weights.bin without importing TensorFlow.js.
 *
 * The layout is model/io.ts's saveModel's (so its loadModel, `kiln predict`'s loader and tfjs'
 * own file:// loader read it; like io.ts it leaves out the training config, whose optimizer a
 * loader would have to deserialize), but written as a plain IO handler object: `model.save(handler)`
 * only needs something with a `save(artifacts)` method. io.ts builds its handler with
 * tf.io.withSaveHandler, which would load Kiln's own tfjs-core into the user's process next to
 * theirs: two engines, two backends, and tensors that cannot cross between them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILE, WEIGHTS_FILE } from '../model/files.ts';

/** The fields of tfjs' ModelArtifacts that a layers model hands its save handler. */
export interface ModelArtifactsLike {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  weightSpecs?: unknown[];
  /** One buffer, or (tfjs >= 4.10) several that concatenate to the weights. */
  weightData?: ArrayBuffer | ArrayBuffer[];
}

/** tfjs' SaveResult, which a save handler returns. */
export interface SaveResultLike {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes?: number; weightSpecsBytes?: number; weightDataBytes?: number };
}

/** A model that can save itself through an IO handler (tfjs-layers' LayersModel and Sequential). */
export interface SavableModel {
  save(handler: { save(artifacts: ModelArtifactsLike): Promise<SaveResultLike> }): Promise<unknown>;
}

export interface SavedModelFiles {
  modelJson: string;
  weightsBin: string;
}

function joinBuffers(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** Saves `model` into `dir` (created if needed) as model.json + weights.bin; returns both paths. */
export async function saveModelFiles(model: SavableModel, dir: string): Promise<SavedModelFiles> {
  await mkdir(dir, { recursive: true });
  const files = { modelJson: join(dir, MODEL_FILE), weightsBin: join(dir, WEIGHTS_FILE) };
  await model.save({
    async save(artifacts) {
      const weights = joinBuffers(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'TensorFlow.js tfjs-layers',
        convertedBy: 'Kiln',
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      const text = JSON.stringify(json);
      await writeFile(files.modelJson, text);
      await writeFile(files.weightsBin, weights);
      // tfjs' SaveResult; the sizes are what tf.io.getModelArtifactsInfoForJSON would report.
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },
  });
  return files;
}
