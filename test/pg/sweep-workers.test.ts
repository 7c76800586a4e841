/**
 * Four worker processes, each in its own working directory like four machines, join one sweep in
 * PostgreSQL: every trial completes exactly once, and a worker killed with -9 mid-trial has that
 * trial requeued and finished by another.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { addTrials, createSweep, listTrials, openStore } from '../../packages/core/src/store/index.ts';
import { freshPgUrl, stopTestCluster } from '../../packages/core/src/store/testing/stores.ts';

afterAll(stopTestCluster);

const WORKER = fileURLToPath(new URL('./fixtures/sweep-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url));
const TRIALS = 24;

function startWorker(url: string, sweepId: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'kiln-machine-'));
  const proc = spawn(process.execPath, ['--import', TSX, WORKER, url, sweepId, '600', '1500'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const lines = () => readLog(cwd);
  return { proc, cwd, exited, stdout: () => out, stderr: () => err, lines };
}

function readLog(cwd: string): string[] {
  try {
    return readFileSync(join(cwd, 'trials.log'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('a sweep across machines in PostgreSQL', () => {
  it('4 workers: every trial completes exactly once; a kill -9 mid-trial is requeued and finished elsewhere', async () => {
    const url = await freshPgUrl();
    const store = await openStore(url);
    try {
      const sweepId = await createSweep(store, { name: 'team', experiment: 'team', spec: {}, method: 'grid', metric: 'loss', goal: 'minimize' });
      await addTrials(store, sweepId, Array.from({ length: TRIALS }, (_, n) => ({ number: n, params: { x: n / 4 } })));
      const workers = Array.from({ length: 4 }, () => startWorker(url, sweepId));
      const [victim] = workers;
      if (victim === undefined) throw new Error('four workers were started');
      const deadline = Date.now() + 60_000;
      while (!victim.lines().some((l) => l.startsWith('start'))) {
        if (Date.now() > deadline) throw new Error(`victim never started a trial: ${victim.stderr()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      victim.proc.kill('SIGKILL');
      const killedTrial = Number(victim.lines().filter((l) => l.startsWith('start')).at(-1)?.split(' ')[1]);
      await victim.exited;
      const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
      expect(workers.slice(1).map((w) => w.stderr()).join('')).toBe('');
      expect(codes).toEqual([0, 0, 0]);

      const survivors = workers.slice(1).flatMap((w) => w.lines());
      const victimLines = victim.lines();
      const done = [...victimLines, ...survivors].filter((l) => l.startsWith('done')).map((l) => Number(l.split(' ')[1]));
      expect([...done].sort((a, b) => a - b)).toEqual(Array.from({ length: TRIALS }, (_, n) => n));
      expect(victimLines).not.toContain(`done ${killedTrial}`);
      expect(survivors).toContain(`done ${killedTrial}`);
      // Started once, except the killed trial: once by the victim, once by the worker that finished it.
      const starts = [...victimLines, ...survivors].filter((l) => l.startsWith('start'));
      expect(starts).toHaveLength(TRIALS + 1);
      expect(survivors.filter((l) => l.startsWith('lost'))).toEqual([]);

      const trials = await listTrials(store, sweepId);
      expect(trials.every((t) => t.state === 'complete')).toBe(true);
      for (const t of trials) expect(t.value).toBeCloseTo((Number(t.params.x) - 3) ** 2, 12);
      expect(new Set(trials.map((t) => t.workerId)).size).toBeGreaterThanOrEqual(2);
      expect(trials.find((t) => t.number === killedTrial)?.workerId).not.toContain(`:${victim.proc.pid}`);
    } finally {
      store.close();
    }
  }, 180_000);
});
