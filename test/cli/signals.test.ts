// Ctrl-C (SIGINT to the terminal's whole foreground process group) and SIGTERM to the launcher, for
// every way Kiln is started: pnpm scripts, `pnpm kiln`, plain node, and sweeps with their workers.
// pnpm 12 (like npm 11) dies on SIGTERM without passing it on, so under pnpm the trainer must notice
// it was orphaned. Each case: the run(s) end `killed` with every completed epoch's metrics, the shell
// sees 130/143, nothing of the process group is left, and no kiln-run-* temp dir stays behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getSweep, listRuns, listTrials, openStore, type Store } from '@kiln/core/store';
import { groupMembers } from './process-group.ts';
import { BIN, REPO } from './run-cli.ts';

type Signal = 'SIGINT' | 'SIGTERM';
type Launcher = { name: string; cmd: string; args: string[]; sweep: boolean };

const PIPELINE = 'pipelines/penguins-mlp.yaml';
// Thousands of epochs: the run is always interrupted, never finished.
const TRAIN = [PIPELINE, '--set', 'train.epochs=5000'];
const SWEEP = [PIPELINE, '--set', 'train.optimizer.learningRate=0.01,0.02', '--set', 'train.epochs=5000', '--parallel', '2'];

const LAUNCHERS: Launcher[] = [
  { name: 'pnpm run pipeline', cmd: 'pnpm', args: ['run', 'pipeline', ...TRAIN], sweep: false },
  { name: 'pnpm kiln train', cmd: 'pnpm', args: ['kiln', 'train', ...TRAIN], sweep: false },
  { name: 'node bin/kiln.mjs train', cmd: process.execPath, args: [BIN, 'train', ...TRAIN], sweep: false },
  { name: 'pnpm run sweep', cmd: 'pnpm', args: ['run', 'sweep', ...SWEEP], sweep: true },
];
const SENT: Record<Signal, { to: 'group' | 'launcher'; shell: number }> = {
  SIGINT: { to: 'group', shell: 130 },
  SIGTERM: { to: 'launcher', shell: 143 },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

/** Runs in the store whose val.loss has at least `epochs` points (the sweep's trials mid-training). */
async function runsPastEpoch(store: Store, epochs: number): Promise<number> {
  const { runs } = await listRuns(store);
  return runs.filter((r) => (r.metrics['val.loss']?.count ?? 0) >= epochs).length;
}

/** Starts `launcher` in its own process group, interrupts it mid-training with `signal`, and reports what was left. */
async function interrupt(launcher: Launcher, signal: Signal) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-signals-'));
  const db = join(dir, 'kiln.db');
  // A private TMPDIR: Kiln's temp dirs (kiln-run-* checkpoints and the like) land here, where leftovers can be counted.
  const child = spawn(launcher.cmd, [...launcher.args, '--store', db], { cwd: REPO, detached: true, env: { ...process.env, NO_COLOR: '1', TMPDIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  const pgid = child.pid!;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number>((resolve) => child.once('exit', (code, sig) => resolve(code ?? 128 + constants.signals[sig!])));
  // Orphaned processes keep writing to the pipe: it closes only when the last of them is gone.
  const closed = new Promise<void>((resolve) => child.stderr.once('close', () => resolve()));
  let store: Store | undefined;
  try {
    if (launcher.sweep) {
      // Opened once the coordinator has created (and migrated) it, to poll the trials' progress.
      await waitFor('the sweep to start', 60_000, () => (/^Sweep /m.test(stderr) ? true : undefined));
      const s = (store = await openStore(db));
      await waitFor('both trials at epoch 2', 90_000, async () => ((await runsPastEpoch(s, 2)) >= 2 ? true : undefined));
    } else await waitFor('3 epoch lines', 90_000, () => ((stderr.match(/^epoch /gm) ?? []).length >= 3 ? true : undefined));
    process.kill(SENT[signal].to === 'group' ? -pgid : pgid, signal);
    const code = await exited;
    const left = await waitFor('the process group to empty', 30_000, () => (groupMembers(pgid).length === 0 ? [] : undefined)).catch(() => groupMembers(pgid));
    if (left.length === 0) await closed;
    store ??= await openStore(db);
    const { runs } = await listRuns(store);
    const sweeps = launcher.sweep ? runs.map((r) => r.sweepId).filter((id): id is string => id !== null) : [];
    const sweepId = sweeps[0];
    const sweep = sweepId === undefined ? undefined : { status: (await getSweep(store, sweepId))?.status, trials: (await listTrials(store, sweepId)).map((t) => t.state) };
    return { code, left, runs, sweep, stderr, epochLines: (stderr.match(/^epoch /gm) ?? []).length, temp: readdirSync(dir).filter((f) => f.startsWith('kiln-')) };
  } finally {
    store?.close();
    for (const pid of groupMembers(pgid)) process.kill(pid, 'SIGKILL');
  }
}

describe('signals: every launcher ends its runs killed, keeps their metrics and leaves nothing behind', () => {
  for (const launcher of LAUNCHERS) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`${launcher.name}, ${signal} to the ${SENT[signal].to}`, { timeout: 180_000 }, async () => {
        const r = await interrupt(launcher, signal);
        expect(r.left, `processes left in the group:\n${r.stderr}`).toEqual([]);
        expect(r.code, r.stderr).toBe(SENT[signal].shell);
        expect(r.temp).toEqual([]);
        expect(r.runs).toHaveLength(launcher.sweep ? 2 : 1);
        for (const run of r.runs) {
          expect(run.status, r.stderr).toBe('killed');
          // `received SIGINT (aborted at epoch E step S)`: every epoch before E is in the store.
          const m = /^received (SIG\w+) \(aborted at epoch (\d+) step \d+\)$/.exec(run.failureReason ?? '');
          expect(m, `failure reason: ${run.failureReason}`).not.toBeNull();
          expect(m![1]).toBe(signal);
          const epochs = Number(m![2]) - 1;
          expect(epochs).toBeGreaterThanOrEqual(launcher.sweep ? 2 : 3);
          for (const key of ['val.loss', 'train.loss', 'lr', 'time.epoch_seconds']) expect(run.metrics[key]?.count, key).toBe(epochs);
        }
        if (launcher.sweep) {
          // Both trials went back in the queue for `kiln sweep --resume`.
          expect(r.sweep).toEqual({ status: 'interrupted', trials: ['queued', 'queued'] });
        } else {
          // Every epoch line printed was recorded, and no epoch was recorded without its line.
          expect(r.runs[0]!.metrics['val.loss']?.count).toBe(r.epochLines);
        }
      });
    }
  }
});

describe('signals: pnpm run ui', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the ${SENT[signal].to}: the UI server does not outlive pnpm`, { timeout: 60_000 }, async () => {
      const db = join(mkdtempSync(join(tmpdir(), 'kiln-signals-ui-')), 'kiln.db');
      const child = spawn('pnpm', ['run', 'ui', '--port', '0', '--store', db], { cwd: REPO, detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const pgid = child.pid!;
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await waitFor('the UI to listen', 30_000, () => (out.includes('Kiln UI: http://') ? true : undefined));
        process.kill(SENT[signal].to === 'group' ? -pgid : pgid, signal);
        await exited;
        const left = await waitFor('the process group to empty', 10_000, () => (groupMembers(pgid).length === 0 ? [] : undefined)).catch(() => groupMembers(pgid));
        expect(left, out).toEqual([]);
      } finally {
        for (const pid of groupMembers(pgid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});
