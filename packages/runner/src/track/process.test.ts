import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getRun, metricHistory, openStore } from '@kiln/core/store';
import { freshPgUrl } from '@kiln/core/testing';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./child-fixture.ts', import.meta.url));

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture in its own process (a user's script through tsx); `onReady` gets its pid once it printed "ready". */
function runChild(mode: string, store: string, onReady?: (pid: number) => void): Promise<Child> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', FIXTURE, mode], { cwd: REPO, env: { ...process.env, KILN_STORE: store } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (onReady && stdout.includes('ready\n')) {
      onReady(child.pid!);
      onReady = undefined;
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** The child's run and its loss steps, read the way the next `kiln` command would (stale runs marked at once). */
async function result(store: string, child: Child) {
  const id = /run (\S+)/.exec(child.stdout)?.[1];
  expect(id, child.stderr).toBeDefined();
  const s = await openStore(store, { staleMs: 0 });
  try {
    const run = await getRun(s, id!);
    const steps = (await metricHistory(s, id!, 'loss')).points.map((p) => p.step);
    return { run, steps };
  } finally {
    s.close();
  }
}

const tempStore = () => join(mkdtempSync(join(tmpdir(), 'kiln-child-')), 'kiln.db');

describe.concurrent('a run started from user code, in its own process', () => {
  it('Ctrl-C (SIGINT) ends it killed with every logged metric, exit 130', async () => {
    const store = tempStore();
    const child = await runChild('interrupt', store, (pid) => process.kill(pid, 'SIGINT'));
    const { run, steps } = await result(store, child);
    expect(child.code).toBe(130);
    expect(run).toMatchObject({ status: 'killed', failureReason: 'received SIGINT' });
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  // On PostgreSQL each write really waits for the server, so the first run to be recorded would exit before the second.
  it('Ctrl-C with two live runs in the process records both as killed before it exits (PostgreSQL store)', async () => {
    const store = await freshPgUrl();
    const child = await runChild('two', store, (pid) => process.kill(pid, 'SIGINT'));
    const { run, steps } = await result(store, child);
    expect(child.code).toBe(130);
    expect(run?.status).toBe('killed');
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    const second = /second (\S+)/.exec(child.stdout)?.[1];
    const s = await openStore(store);
    try {
      expect(await getRun(s, second!)).toMatchObject({ status: 'killed', metrics: { loss: { last: 2, count: 40_000 } } });
    } finally {
      s.close();
    }
  });

  it('an uncaught error ends it failed with the message, exit 1, metrics kept', async () => {
    const store = tempStore();
    const child = await runChild('throw', store);
    const { run, steps } = await result(store, child);
    expect(child.code).toBe(1);
    expect(child.stderr).toContain('boom in user code');
    expect(run).toMatchObject({ status: 'failed', failureReason: 'boom in user code' });
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('a script that returns without end() finishes the run, buffered metrics written', async () => {
    const store = tempStore();
    const child = await runChild('forget', store);
    const { run, steps } = await result(store, child);
    expect(child.code).toBe(0);
    expect(run?.status).toBe('finished');
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('kill -9 leaves it to be marked crashed by the next open, with the flushed metrics', async () => {
    const store = tempStore();
    const child = await runChild('kill9', store, (pid) => process.kill(pid, 'SIGKILL'));
    const { run, steps } = await result(store, child);
    expect(child.signal).toBe('SIGKILL');
    expect(run?.status).toBe('crashed');
    expect(steps).toEqual([1, 2, 3]);
  });
});
