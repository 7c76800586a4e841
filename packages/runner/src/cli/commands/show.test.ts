import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker, deleteRun, openStore } from '@kiln/core/store';
import { run } from './show.ts';

afterEach(() => vi.restoreAllMocks());

/** Runs `kiln show ID` against the store file and returns what it printed. */
async function show(storePath: string, id: string, json = false): Promise<string> {
  let printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  expect(await run({ positionals: [id], options: { store: storePath, artifacts: undefined, json, help: false, version: false } })).toBe(0);
  vi.restoreAllMocks();
  return printed;
}

describe('kiln show', () => {
  it("prints a transfer run's parent and a parent's children, also as JSON, and a parent gone from the store", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kiln-show-')), 'kiln.db');
    const store = await openStore(path);
    const tracker = createTracker(store);
    const base = { experiment: 'mnist-transfer', config: {}, yaml: 'x: 1\n', configHash: 'h' };
    const pretrain = await tracker.startRun({ ...base, name: 'pretrain' });
    const finetune = await tracker.startRun({ ...base, name: 'finetune', parentRunId: pretrain.id });
    await pretrain.end('finished');
    await finetune.end('finished');
    store.close();

    const parentText = await show(path, pretrain.id);
    expect(parentText).toContain(`children  ${finetune.id}  finetune (finished)`);
    expect(parentText).not.toContain('parent    ');
    expect(await show(path, finetune.id)).toContain(`parent    ${pretrain.id}  pretrain (finished)`);
    const json = JSON.parse(await show(path, finetune.id, true)) as { parentRunId: string; parent: { name: string } };
    expect(json).toMatchObject({ parentRunId: pretrain.id, parent: { name: 'pretrain' } });

    const again = await openStore(path);
    await deleteRun(again, pretrain.id);
    again.close();
    expect(await show(path, finetune.id)).toContain(`parent    ${pretrain.id} (no longer in this store)`);
  });
});
