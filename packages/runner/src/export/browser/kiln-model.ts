/**
 * kiln-model.js, the module `kiln export-model` writes beside model.json: it reads preprocess.json
 * from its own folder (fetch in a browser, the file system in Node) and binds the runtime to it.
 * It imports nothing; the page passes its own TensorFlow.js to the functions that need one.
 */
import { inputColumns, toInputs as encode, toPredictions as decode, type OutputLike, type Prediction, type RawRow, type TensorMaker } from './runtime.ts';
import type { PreprocessState } from '../../data/types.ts';

export type { Prediction, RawRow } from './runtime.ts';

/** What the model folder's preprocess.json holds: the fitted state and what the export adds. */
export type ExportedPreprocessing = PreprocessState & { kiln: { run: string; name: string; columns: string[]; customLayers: string[] } };

/** The page's TensorFlow.js, as far as loading a model goes. */
interface ModelLoader<T> extends TensorMaker<T> {
  loadLayersModel(source: unknown): Promise<{ predict(x: T | T[]): unknown }>;
  io: { fromMemory(artifacts: object): unknown };
}

/** A variable specifier, so bundlers leave Node's file module out of browser builds. */
const FS = 'node:fs/promises';

/** A file of this folder: fetched in a browser, read from disk when the module was loaded from a file. */
async function readHere(name: string): Promise<Uint8Array> {
  const url = new URL(`./${name}`, import.meta.url);
  if (url.protocol === 'file:') {
    if (typeof process === 'undefined' || !process.versions?.node) throw new Error(`cannot read ${url.href}: serve this folder over http (any static file server); a page cannot fetch file:// URLs`);
    const fs = (await import(/* @vite-ignore */ FS)) as { readFile(u: URL): Promise<Uint8Array> };
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const json = async (name: string): Promise<unknown> => JSON.parse(new TextDecoder().decode(await readHere(name)));

/** The fitted preprocessing: feature order, scalers, vocabularies, tokenizer, image scale, classes, target scaling. */
export const preprocessing = (await json('preprocess.json')) as ExportedPreprocessing;

/** The raw columns each row needs (the pipeline's feature columns). */
export const columns: string[] = inputColumns(preprocessing);

/** Raw rows -> the model's input tensor(s), and the positions of the rows kept (a `missing: drop` feature leaves some out). */
export function toInputs<T>(rows: readonly RawRow[], tf: TensorMaker<T>): { inputs: T | T[]; kept: number[] } {
  return encode(preprocessing, rows, tf);
}

/** The model's output tensor(s) -> one prediction per kept row (toInputs' `kept`; default every row): class and probabilities, or the value in the target's units. */
export function toPredictions(output: OutputLike | OutputLike[], kept?: readonly number[]): Prediction[] {
  return decode(preprocessing, output, kept);
}

/** Loads model.json from this folder with the page's tf, first registering Kiln's layers when the model holds any (kiln-layers.js). */
export async function loadModel<T>(tf: ModelLoader<T>): Promise<{ predict(x: T | T[]): unknown }> {
  if (preprocessing.kiln.customLayers.length > 0) {
    const layers = (await import(/* @vite-ignore */ new URL('./kiln-layers.js', import.meta.url).href)) as { registerKilnLayers(tf: unknown): void };
    layers.registerKilnLayers(tf);
  }
  const url = new URL('./model.json', import.meta.url);
  if (url.protocol !== 'file:') return tf.loadLayersModel(url.href);
  // Plain @tensorflow/tfjs in Node has no file:// loader: hand it the files.
  const model = (await json('model.json')) as { modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown[] }[] };
  const parts = await Promise.all(model.weightsManifest.flatMap((g) => g.paths.map((p) => readHere(p))));
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((at, p) => (weightData.set(p, at), at + p.byteLength), 0);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightsManifest.flatMap((g) => g.weights), weightData: weightData.buffer }));
}

/** Predictions for raw rows in one call: encode, run the model, decode, free the tensors. */
export async function predict<T extends { dispose(): void }>(model: { predict(x: T | T[]): unknown }, rows: readonly RawRow[], tf: TensorMaker<T>): Promise<Prediction[]> {
  const { inputs, kept } = toInputs(rows, tf);
  const output = model.predict(inputs) as (OutputLike & { dispose(): void }) | (OutputLike & { dispose(): void })[];
  try {
    return toPredictions(output, kept);
  } finally {
    for (const t of [inputs, output].flat()) t.dispose();
  }
}
