import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { sha256File } from '@kiln/core/store';
import { verifyModelArtifacts } from './verify.ts';

/** A run folder with its three model files, recorded the way the store records them (size and sha256 of the copy). */
async function savedRun() {
  const root = mkdtempSync(join(tmpdir(), 'kiln-verify-'));
  mkdirSync(join(root, 'run1'));
  const files = { 'model.json': ['model', '{"modelTopology":{}}'], 'weights.bin': ['weights', Buffer.alloc(40, 7)], 'preprocess.json': ['preprocess', '{}'], 'confusion.json': ['confusion', '[]'] } as const;
  const records = [];
  for (const [name, [kind, body]] of Object.entries(files)) {
    const file = join(root, 'run1', name);
    writeFileSync(file, body);
    records.push({ path: `run1/${name}`, kind, size: statSync(file).size, sha256: await sha256File(file) });
  }
  return { root, records, weights: join(root, 'run1', 'weights.bin') };
}

async function errorsOf(f: () => Promise<unknown>): Promise<KilnError[]> {
  try {
    await f();
  } catch (e) {
    if (e instanceof KilnFailure) return e.errors;
    throw e;
  }
  return [];
}

describe('verifyModelArtifacts', () => {
  it('passes files that match their records', async () => {
    const { root, records } = await savedRun();
    expect(await errorsOf(() => verifyModelArtifacts(root, 'run1', records))).toEqual([]);
  });

  it('names the run and the file that is zeroed (same size), truncated or missing', async () => {
    const { root, records, weights } = await savedRun();
    writeFileSync(weights, Buffer.alloc(40));
    expect(await errorsOf(() => verifyModelArtifacts(root, 'run1', records))).toEqual([expect.objectContaining({ code: 'artifact/changed', file: weights, message: expect.stringMatching(/^run run1's weights\.bin has changed since the run saved it \(sha256 [0-9a-f]{12}, recorded [0-9a-f]{12}\)$/) })]);
    truncateSync(weights, 25);
    expect(await errorsOf(() => verifyModelArtifacts(root, 'run1', records))).toEqual([expect.objectContaining({ code: 'artifact/size', message: "run run1's weights.bin is truncated: 25 bytes, but 40 were recorded when the run saved it" })]);
    rmSync(weights);
    rmSync(join(root, 'run1', 'confusion.json'));
    expect(await errorsOf(() => verifyModelArtifacts(root, 'run1', records))).toEqual([{ code: 'artifact/missing', path: '', file: weights, message: "run run1's weights.bin is missing", hint: `restore ${join(root, 'run1')} from a backup, or train the run again; if another machine trained it, point --artifacts (or KILN_ARTIFACTS) at the folder it wrote to` }]);
  });

  it('reports under a spec path without a file of its own, so the pipeline file locates it', async () => {
    const { root, records, weights } = await savedRun();
    rmSync(weights);
    const [e] = await errorsOf(() => verifyModelArtifacts(root, 'run1', records, 'model.from.run'));
    expect(e).toMatchObject({ code: 'artifact/missing', path: 'model.from.run' });
    expect(e!.file).toBeUndefined();
    expect(e!.hint).toBe(`the file is ${weights}; restore ${join(root, 'run1')} from a backup, or train the run again; if another machine trained it, point --artifacts (or KILN_ARTIFACTS) at the folder it wrote to`);
  });
});
