/** Writing a run's files (model, preprocessing state, confusion matrix, checkpoints) and recording them in the store. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { RunHandle } from '@kiln/core/store';
import type { PreprocessState } from '../data/types.ts';
import { saveModel } from '../model/io.ts';
import type { HeadClassReport } from '../train/class-report.ts';
import { CONFUSION_FILE, PREPROCESS_FILE } from '../artifacts/files.ts';

/** Saves the final model and the preprocessing state into `dir` and records them with the run. */
export async function logModelArtifacts(run: RunHandle, model: LayersModel, state: PreprocessState, dir: string): Promise<void> {
  const { modelJson, weightsBin } = await saveModel(model, dir);
  const preprocess = join(dir, PREPROCESS_FILE);
  await writeFile(preprocess, JSON.stringify(state));
  await run.logArtifact(modelJson, 'model');
  await run.logArtifact(weightsBin, 'weights');
  await run.logArtifact(preprocess, 'preprocess');
}

/**
 * Records the test confusion matrix with its class labels (and head name, if any) as a JSON artifact:
 * confusion.json, or confusion.<output>.json for a named head unless `plainName` (the first head).
 */
export async function logConfusion(run: RunHandle, matrix: number[][], classes: string[], dir: string, output?: string, plainName = false): Promise<void> {
  const file = join(dir, output && !plainName ? `confusion.${output}.json` : CONFUSION_FILE);
  await writeFile(file, JSON.stringify({ split: 'test', ...(output ? { output } : {}), classes, matrix }));
  await run.logArtifact(file, 'confusion');
}

/** Records the per-class test report of every classification head as class-report.json (kind 'class-report'). */
export async function logClassReports(run: RunHandle, reports: HeadClassReport[], dir: string): Promise<void> {
  const file = join(dir, 'class-report.json');
  await writeFile(file, JSON.stringify({ split: 'test', heads: reports }));
  await run.logArtifact(file, 'class-report');
}

/** Checkpoint files: one pair kept current (best only) or one pair per epoch. */
export function checkpointName(epoch: number, bestOnly: boolean): string {
  return bestOnly ? 'checkpoint' : `checkpoint-epoch${epoch}`;
}

/** Records the checkpoint files written during training. */
export async function logCheckpoints(run: RunHandle, dir: string, names: Iterable<string>): Promise<void> {
  for (const name of names) {
    await run.logArtifact(join(dir, `${name}.json`), 'checkpoint');
    await run.logArtifact(join(dir, `${name}.weights.bin`), 'checkpoint');
  }
}

/** Saves a checkpoint now; returns its name. */
export async function writeCheckpoint(model: LayersModel, dir: string, epoch: number, bestOnly: boolean): Promise<string> {
  const name = checkpointName(epoch, bestOnly);
  await saveModel(model, dir, name);
  return name;
}
