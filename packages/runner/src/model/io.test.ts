import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { useWasm } from '../train/test-support.ts';
import { loadModel, saveModel } from './io.ts';

beforeAll(useWasm);

async function savedModel(): Promise<string> {
  const model = sequential({ layers: [layers.dense({ inputShape: [4], units: 2 })] });
  const dir = mkdtempSync(join(tmpdir(), 'kiln-io-'));
  await saveModel(model, dir);
  model.dispose();
  return dir;
}

async function errorOf(f: () => Promise<unknown>): Promise<KilnError | undefined> {
  try {
    await f();
  } catch (e) {
    if (e instanceof KilnFailure) return e.errors[0];
    throw e;
  }
  return undefined;
}

describe('loadModel refuses damaged files with their names', () => {
  it('loads what it saved', async () => {
    const model = await loadModel(await savedModel());
    expect(model.countParams()).toBe(10);
    model.dispose();
  });

  it('a truncated weights file: its size against what the layers need, not tfjs\' tensor error', async () => {
    const dir = await savedModel();
    truncateSync(join(dir, 'weights.bin'), 25);
    expect(await errorOf(() => loadModel(dir))).toMatchObject({ code: 'model/weights-size', message: `the weights of ${join(dir, 'model.json')} (./weights.bin) hold 25 bytes, but its layers need 40` });
  });

  it('a missing weights file and a damaged model.json', async () => {
    const dir = await savedModel();
    rmSync(join(dir, 'weights.bin'));
    expect(await errorOf(() => loadModel(dir))).toMatchObject({ code: 'model/file-missing', message: `cannot read the saved model file ${join(dir, 'weights.bin')} (it is missing)` });
    writeFileSync(join(dir, 'model.json'), '{"modelTop');
    expect(await errorOf(() => loadModel(dir))).toMatchObject({ code: 'model/unreadable' });
  });
});
