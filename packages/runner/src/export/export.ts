/**
 * `kiln export-model`: a stored run's kept model as a folder a web page (or any TensorFlow.js) can use
 * without Kiln: a standard tfjs layers model (model.json + weight shards), the fitted preprocessing as
 * JSON, kiln-model.js (raw rows in, labels out), kiln-layers.js when a Kiln layer has no standard twin,
 * and a README.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { loadRun } from '../artifacts/load.ts';
import { selectBackend } from '../backend/select.ts';
import type { PreprocessState } from '../data/types.ts';
import { inputColumns } from './browser/runtime.ts';
import { exportReadme } from './readme.ts';
import { shippedClasses, standardizeTopology, type LayerExport } from './topology.ts';

/** Weight shard size, as tensorflowjs_converter writes them: small enough for browser caches. */
const SHARD_BYTES = 4 * 1024 * 1024;

export interface ExportOptions {
  store?: string;
  /** Write into a folder that is not empty (files of an earlier export are replaced). */
  force?: boolean;
}

export interface ExportResult {
  dir: string;
  files: string[];
  layers: LayerExport[];
  columns: string[];
}

/** Refuses an output path that is a file, or a non-empty folder without --force. */
async function checkOutDir(dir: string, force: boolean): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw new KilnFailure(kilnError('export/out-not-a-folder', 'out', `${dir} is a file, not a folder`, 'give --out a folder to create, e.g. --out model-web'));
  const entries = await readdir(dir);
  if (entries.length > 0 && !force)
    throw new KilnFailure(kilnError('export/out-not-empty', 'out', `${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''})`, 'pick a new folder, or add --force to write into it (files of an earlier export are replaced)'));
}

/** The browser modules bundled at build time (scripts/build.mjs writes dist/export/browser/). */
function bundled(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const file = join(dir, 'dist', 'export', 'browser', name);
  if (!existsSync(file)) throw new KilnFailure(kilnError('export/not-built', '', `${file} is missing: this Kiln was installed without its browser modules`, 'in a Kiln checkout, run `node scripts/build.mjs --js`'));
  return file;
}

/** Topology and weights of a loaded model, as the tfjs save handler hands them over. */
async function modelArtifacts(model: LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })));
  if (!saved) throw new Error('tfjs saved no model artifacts');
  return saved;
}

/** Writes model.json and its weight shards; returns the file names and what became of each Kiln layer. */
async function writeModel(model: LayersModel, dir: string): Promise<{ files: string[]; layers: LayerExport[] }> {
  const a = await modelArtifacts(model);
  const layers = standardizeTopology(a.modelTopology);
  const weights = new Uint8Array(a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData));
  const count = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
  const shards = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  for (const [i, name] of shards.entries()) await writeFile(join(dir, name), weights.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
  const json = { format: 'layers-model', generatedBy: a.generatedBy, convertedBy: 'Kiln export-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: shards.map((s) => `./${s}`), weights: a.weightSpecs ?? [] }] };
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  return { files: ['model.json', ...shards], layers };
}

/** Files an earlier export may have left that this one would not overwrite (other shard counts, kiln-layers.js). */
async function removeStale(dir: string): Promise<void> {
  const stale = (await readdir(dir)).filter((f) => /^group1-shard\d+of\d+\.bin$/.test(f) || f === 'kiln-layers.js');
  await Promise.all(stale.map((f) => rm(join(dir, f))));
}

/** Exports run `runId`'s kept model with its preprocessing into `outDir`. */
export async function exportModel(runId: string, runName: string, outDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const dir = resolve(outDir);
  await checkOutDir(dir, opts.force === true);
  // Only to hold the weights while they are re-serialized, chosen as kiln predict chooses it.
  await selectBackend('auto');
  const { model, state } = await loadRun(runId, opts.store);
  try {
    await mkdir(dir, { recursive: true });
    await removeStale(dir);
    const written = await writeModel(model, dir);
    const classes = shippedClasses(written.layers);
    const columns = inputColumns(state);
    // What the export adds goes first, so a reader of the file sees the run and the columns before the vocabularies.
    const preprocess: PreprocessState & { kiln: object } = { kiln: { run: runId, name: runName, columns, customLayers: classes }, ...state };
    await writeFile(join(dir, 'preprocess.json'), `${JSON.stringify(preprocess, null, 1)}\n`);
    const modules = ['kiln-model.js', ...(classes.length > 0 ? ['kiln-layers.js'] : [])];
    const banner = (m: string) => `// ${m}: written by \`kiln export-model\` for run ${runId} (${runName}); a dependency-free ES module, see README.md.\n`;
    for (const m of modules) await writeFile(join(dir, m), banner(m) + (await readFile(bundled(m), 'utf8')));
    await writeFile(join(dir, 'README.md'), exportReadme({ runId, runName, state, columns, layers: written.layers }));
    return { dir, files: [...written.files, 'preprocess.json', ...modules, 'README.md'], layers: written.layers, columns };
  } finally {
    model.dispose();
  }
}
