import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listRuns, openStore } from '../../packages/core/src/store/index.ts';
import { REPO } from './run-cli.ts';

const BIN = fileURLToPath(new URL('../../packages/runner/bin/kiln.mjs', import.meta.url));

describe('Ctrl-C during kiln train', () => {
  it('stops mid-run with exit 130, the run marked killed, and the metrics logged so far kept', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'kiln-sigint-')), 'kiln.db');
    const child = spawn(process.execPath, [BIN, 'train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=100000', '--store', store], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if ((stderr.match(/^epoch /gm) ?? []).length >= 3) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const s = await openStore(store);
    try {
      const [run] = (await listRuns(s)).runs;
      expect(run!.status).toBe('killed');
      expect(run!.failureReason).toBe('received SIGINT');
      expect(run!.metrics['val.loss']!.count).toBeGreaterThanOrEqual(3);
    } finally {
      s.close();
    }
  });
});
