/** Spawning real `node --import tsx` children for the store tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the worker fixture with the given arguments. */
export function spawnWorker(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once the child's stdout matches `pattern`. */
export async function waitFor(child: Child, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = child.stdout().match(pattern);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stderr: ${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until every child printed "ready", then releases them all at once through `goFile`. */
export async function releaseTogether(children: Child[], goFile: string): Promise<void> {
  await Promise.all(children.map((c) => waitFor(c, /ready/)));
  writeFileSync(goFile, 'go');
}

/** A file whose creation releases waiting children: beside a file store, in a temp dir for a server store. */
export function goFileFor(url: string): string {
  return /^[a-z]+:\/\//i.test(url) ? join(mkdtempSync(join(tmpdir(), 'kiln-go-')), 'go') : `${url}.go`;
}
