// The coordinator's worker processes: `kiln sweep --worker ID` children sharing the store. Each
// gets a tag; with its pid and the host it forms the worker id it claims trials under.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { packagePath } from '@kiln/core/paths';

const BIN = packagePath(import.meta.url, 'bin', 'kiln.mjs');
const TAIL = 4000;

export interface WorkerProcess {
  id: string;
  proc: ChildProcess;
  /** The last few KB the worker wrote to stderr (trial failures, crashes). */
  stderr: () => string;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  exited: Promise<void>;
}

export class WorkerPool {
  readonly workers: WorkerProcess[] = [];

  constructor(
    private readonly sweepId: string,
    private readonly storeUrl: string,
  ) {}

  /** Starts one worker process. */
  start(): WorkerProcess {
    const tag = randomBytes(3).toString('hex');
    // The IPC channel is only a lifeline: when the coordinator dies it closes, and the worker stops after its trial.
    // The store URL goes through the environment: on a command line its password would show in `ps`.
    const proc = spawn(process.execPath, [BIN, 'sweep', '--worker', this.sweepId], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, KILN_STORE: this.storeUrl, KILN_SWEEP_WORKER_TAG: tag },
    });
    let tail = '';
    proc.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-TAIL)));
    const w: WorkerProcess = {
      id: workerIdFor(proc.pid ?? -1, tag),
      proc,
      stderr: () => tail,
      exit: null,
      exited: new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
          w.exit = { code, signal };
          resolve();
        }),
      ),
    };
    this.workers.push(w);
    return w;
  }

  /** Workers that have not exited. */
  alive(): WorkerProcess[] {
    return this.workers.filter((w) => w.exit === null);
  }

  /** Sends a signal to every live worker. */
  signal(sig: NodeJS.Signals): void {
    for (const w of this.alive()) w.proc.kill(sig);
  }

  /** Waits for every worker to exit, killing those still alive after `graceMs`. */
  async drain(graceMs: number): Promise<void> {
    const all = Promise.all(this.workers.map((w) => w.exited));
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await all;
    clearTimeout(timer);
  }
}

/** The id a worker with this pid and tag claims trials under (see worker.ts). */
export function workerIdFor(pid: number, tag: string): string {
  return `${hostname()}:${pid}:${tag}`;
}
