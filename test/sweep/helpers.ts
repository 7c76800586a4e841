/** Real `kiln sweep` processes over tiny penguins pipelines, and reading their store back. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSweep, listTrials, openStore, tables, type Trial } from '../../packages/core/src/index.ts';

const BIN = fileURLToPath(new URL('../../packages/runner/bin/kiln.mjs', import.meta.url));

/** A fresh folder with a store path in it. */
export function workspace(prefix: string): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), `kiln-sweep-${prefix}-`));
  return { dir, db: join(dir, 'kiln.db') };
}

/** A penguins classifier (4 numeric features) with the given epochs and sweep: section (YAML, indented by 2). */
export function penguinsPipeline(dir: string, opts: { epochs: number; sweep: string; name?: string }): string {
  const file = join(dir, `${opts.name ?? 'penguins'}.yaml`);
  const yaml = [
    `name: ${opts.name ?? 'penguins-sweep'}`,
    'seed: 42',
    'data:',
    '  source: { type: builtin, name: penguins }',
    '  features:',
    '    - { name: Beak Length (mm), type: numeric }',
    '    - { name: Beak Depth (mm), type: numeric }',
    '    - { name: Flipper Length (mm), type: numeric }',
    '    - { name: Body Mass (g), type: numeric }',
    '  target: { name: Species, type: multiclass }',
    'model:',
    '  layers:',
    '    - { type: dense, units: 8, activation: relu }',
    '    - { type: dense, units: 3, activation: softmax }',
    'train:',
    '  loss: sparseCategoricalCrossentropy',
    '  optimizer: { name: adam, learningRate: 0.01 }',
    `  epochs: ${opts.epochs}`,
    '  batchSize: 32',
    '  metrics: [accuracy]',
    'sweep:',
    opts.sweep,
  ].join('\n');
  writeFileSync(file, `${yaml}\n`);
  return file;
}

export interface Kiln {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the real kiln binary; `detached` puts it (and its workers) in a process group of its own. */
export function startKiln(args: string[], opts: { cwd: string; env?: Record<string, string>; detached?: boolean }): Kiln {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Runs kiln to completion. */
export async function kilnSweep(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const k = startKiln(args, opts);
  const code = await k.exited;
  return { code, stdout: k.stdout(), stderr: k.stderr() };
}

export interface SweepState {
  status: string;
  trials: Trial[];
  runs: { id: string; trialNumber: number | null; status: string }[];
}

/** The sweep's status, trials and runs as the store has them now. */
export async function readSweep(db: string, sweepId: string): Promise<SweepState> {
  const store = await openStore(db, { staleMs: 3_600_000 });
  try {
    const sweep = await getSweep(store, sweepId);
    const trials = await listTrials(store, sweepId);
    const runs = (await store.db.select({ id: tables.runs.id, sweepId: tables.runs.sweepId, trialNumber: tables.runs.trialNumber, status: tables.runs.status }).from(tables.runs)).filter(
      (r) => r.sweepId === sweepId,
    );
    return { status: sweep?.status ?? 'missing', trials, runs };
  } finally {
    store.close();
  }
}

/** The only sweep id in a store. */
export async function onlySweepId(db: string): Promise<string> {
  const store = await openStore(db, { staleMs: 3_600_000 });
  try {
    const rows = await store.db.select({ id: tables.sweeps.id }).from(tables.sweeps);
    if (rows.length !== 1) throw new Error(`expected one sweep, found ${rows.length}`);
    return rows[0]!.id;
  } finally {
    store.close();
  }
}

/** Polls `check` until it returns a value (not undefined). */
export async function waitUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pid in a worker id (host:pid:tag). */
export function workerPid(workerId: string | null): number {
  const pid = Number(workerId?.split(':')[1]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in worker id ${workerId}`);
  return pid;
}
