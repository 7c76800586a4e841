/** Predicting with a trained run: its saved model and preprocessing state applied to new rows, written as JSONL. */
import { createWriteStream } from 'node:fs';
import { extname, resolve } from 'node:path';
import { once } from 'node:events';
import { KilnFailure, kilnError } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { selectBackend, type BackendChoice } from '../backend/select.ts';
import { openSource } from '../data/sources/index.ts';
import { rowsOf, type Row } from '../data/table.ts';
import { dataInputs, dataTargets } from '../data/inputs.ts';
import { unscaleTarget } from '../data/preprocess/index.ts';
import { transformRows } from '../data/transform.ts';
import type { TargetInfo } from '../data/types.ts';
import { loadRun, type LoadedRun } from '../artifacts/load.ts';
import { predictTensors } from '../train/evaluate.ts';

/** One head's result: the class with its probabilities, or the predicted value. */
export type HeadPrediction = { class: string; probabilities: Record<string, number> } | { value: number };

/** One output line: the input row number and its result; with several model outputs, one result per output name. */
export type Prediction = ({ row: number } & HeadPrediction) | { row: number; outputs: Record<string, HeadPrediction> };

export interface PredictOptions {
  store?: string;
  /** Output file; default stdout. */
  out?: string;
  backend?: BackendChoice;
}

/** One row's result for one head, from that head's [n, width] outputs. */
function headResult({ type, classes = [], scale }: TargetInfo, values: Float32Array, width: number, i: number): HeadPrediction {
  const result = (probs: number[], best: number): HeadPrediction => ({ class: classes[best] ?? String(best), probabilities: Object.fromEntries(probs.map((p, k) => [classes[k] ?? String(k), p])) });
  if (type === 'multiclass') {
    const probs = Array.from(values.subarray(i * width, (i + 1) * width));
    return result(probs, probs.indexOf(Math.max(...probs)));
  }
  const value = must(values[i], 'a one-column head has one value per row');
  // A scaled regression target's outputs go back to its own units (states saved before scaling have none).
  return type === 'regression' ? { value: unscaleTarget(scale, value) } : result([1 - value, value], value >= 0.5 ? 1 : 0);
}

/** Predictions for rows (objects with the feature columns), in input order; rows dropped by `missing: drop` are skipped. */
export function predictRows({ model, state }: LoadedRun, rows: readonly Row[]): Prediction[] {
  const { xs, rows: kept } = transformRows(state, rows);
  const outs = predictTensors(model, xs, kept.length, dataInputs(state));
  const outputs = outs.map((o) => ({ values: o.dataSync() as Float32Array, width: o.shape[1] }));
  outs.forEach((o) => o.dispose());
  const targets = dataTargets(state);
  const heads = state.outputs;
  if (!heads) {
    const { values, width } = must(outputs[0], 'a model has at least one output');
    return Array.from(kept, (row, i) => ({ row, ...headResult(state.target, values, width, i) }));
  }
  const perHead = heads.map((h, k) => ({ name: h.name, target: must(targets[h.target], "a head's target is saved in the state"), out: must(outputs[k], 'one model output per head') }));
  return Array.from(kept, (row, i) => ({ row, outputs: Object.fromEntries(perHead.map(({ name, target, out }) => [name, headResult(target, out.values, out.width, i)])) }));
}

/** The row formats predict reads, by file extension (the same readers as a pipeline's data source). */
const ROW_FORMATS: Record<string, 'csv' | 'json' | 'jsonl'> = { '.csv': 'csv', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** Reads a .csv, .json (an array of row objects) or .jsonl file of rows. */
export async function readRows(file: string): Promise<Row[]> {
  const type = ROW_FORMATS[extname(file).toLowerCase()];
  if (!type) {
    const hint = `give a file ending in ${Object.keys(ROW_FORMATS).join(', ')} with one row per line (or a JSON array of rows) in the pipeline's input columns`;
    throw new KilnFailure(kilnError('predict/input-type', '', `cannot read ${file}: unknown file type`, hint));
  }
  const source = await openSource({ type, path: resolve(file) }, { baseDir: process.cwd() });
  return rowsOf(await source.load());
}

/** `kiln predict RUN FILE`: predicts every row of FILE with the run's model and writes JSONL to opts.out or stdout. */
export async function predictRun(runId: string, inputFile: string, opts: PredictOptions = {}): Promise<{ count: number }> {
  await selectBackend(opts.backend ?? 'auto');
  const predictor = await loadRun(runId, opts.store);
  try {
    const predictions = predictRows(predictor, await readRows(inputFile));
    const stream = opts.out ? createWriteStream(opts.out) : process.stdout;
    for (const p of predictions) if (!stream.write(`${JSON.stringify(p)}\n`)) await once(stream, 'drain');
    if (opts.out) await new Promise<void>((res, rej) => (stream as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? rej(err) : res())));
    return { count: predictions.length };
  } finally {
    predictor.model.dispose();
  }
}
