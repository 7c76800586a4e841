/** Running the PyTorch reference (torch_bench.py) for the same tasks, when Debian's python3-torch is importable. */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';
export const TORCH_INSTALL_HINT = 'PyTorch is not importable by /usr/bin/python3; install it with `sudo apt-get install python3-torch` (Debian; torch_bench.py also needs python3-sklearn and python3-numpy)';

export interface TorchResult {
  task: string;
  secondsPerEpoch: number;
  testMetric: number;
  epochs: number;
}

/** Whether /usr/bin/python3 can import torch. */
export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** Runs torch_bench.py for the given tasks in one process; results by torch task name, plus its thread count. */
export function runTorch(referenceDir: string, tasks: string[], threads: number): { results: Map<string, TorchResult>; threads: number } {
  // Above one thread, OpenMP's default spinning workers fight over a small machine's cores (5-9x slower in the
  // reference's own measurements); the passive wait policy is PyTorch's best multi-thread setting there.
  const env = threads > 1 ? { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } : process.env;
  const r = spawnSync(PYTHON, ['torch_bench.py', '--tasks', tasks.join(','), '--threads', String(threads)], { cwd: referenceDir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`torch_bench.py failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const results = new Map<string, TorchResult>();
  let torchThreads = threads;
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const rec = JSON.parse(line) as Record<string, unknown>;
    if (rec.task === '_meta') torchThreads = Number(rec.torch_num_threads);
    else if (typeof rec.task === 'string' && !rec.task.startsWith('_'))
      results.set(rec.task, { task: rec.task, secondsPerEpoch: Number(rec.train_seconds_per_epoch), testMetric: Number(rec.test_metric), epochs: Number(rec.epochs) });
  }
  return { results, threads: torchThreads };
}
