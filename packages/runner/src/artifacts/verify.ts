/** A run's saved files checked against what the store recorded when it saved them, before anything loads them. */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { sha256File, type ArtifactRecord } from '@kiln/core/store';

/** The kinds of artifact that predicting and model.from read. */
export const MODEL_KINDS = new Set(['model', 'weights', 'preprocess']);

/** Why one recorded file cannot be trusted, or undefined when its size and sha256 match the record. */
async function problemWith(artifactsDir: string, runId: string, a: Pick<ArtifactRecord, 'path' | 'size' | 'sha256'>, path: string): Promise<KilnError | undefined> {
  const file = join(artifactsDir, a.path);
  const name = basename(a.path);
  const restore = `restore ${join(artifactsDir, runId)} from a backup, or train the run again`;
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    // On a shared store the likeliest cause is another machine's folder: say how to point at it.
    return { code: 'artifact/missing', path, file, message: `run ${runId}'s ${name} is missing`, hint: `${restore}; if another machine trained it, point --artifacts (or KILN_ARTIFACTS) at the folder it wrote to` };
  }
  if (size !== a.size) {
    const how = size < a.size ? 'truncated' : 'longer than it was';
    return { code: 'artifact/size', path, file, message: `run ${runId}'s ${name} is ${how}: ${size} bytes, but ${a.size} were recorded when the run saved it`, hint: restore };
  }
  const sha256 = await sha256File(file);
  if (sha256 !== a.sha256)
    return { code: 'artifact/changed', path, file, message: `run ${runId}'s ${name} has changed since the run saved it (sha256 ${sha256.slice(0, 12)}, recorded ${a.sha256.slice(0, 12)})`, hint: restore };
  return undefined;
}

/** Throws a KilnFailure listing every model file of the run that is missing, of another size or of another sha256 than recorded. */
export async function verifyModelArtifacts(artifactsDir: string, runId: string, records: readonly Pick<ArtifactRecord, 'path' | 'kind' | 'size' | 'sha256'>[], path = ''): Promise<void> {
  const checked = records.filter((a) => MODEL_KINDS.has(a.kind));
  const problems = (await Promise.all(checked.map((a) => problemWith(artifactsDir, runId, a, path)))).filter((p): p is KilnError => p !== undefined);
  // Under a spec path (model.from.run) the error belongs at that line of the pipeline, so it names no file of its own.
  if (problems.length > 0) throw new KilnFailure(path ? problems.map(({ file, ...e }) => ({ ...e, hint: `the file is ${file}; ${e.hint}` })) : problems);
}
