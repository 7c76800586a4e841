// `pnpm bench cli [reps]`: start-up of the built `kiln` binary beside a bare `node -e 0`, as ratios
// (median of reps): --version, validate, `runs` on a 10,000-run store, the first epoch line of a
// training; then the time to validate a 200-layer spec inside one process.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@kiln/core/store';
import { seedRuns } from '@kiln/core/testing';
import { packagePath } from '@kiln/core/paths';

const BIN = packagePath(import.meta.url, 'bin', 'kiln.mjs');
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Wall times of `node args` run to exit, `reps` times. */
function timeNode(args: string[], reps: number, env: NodeJS.ProcessEnv = process.env): number[] {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times;
}

/** Milliseconds from spawning `kiln train FILE` to its first `epoch` line; the training is then stopped. */
function firstEpoch(file: string, store: string): Promise<number> {
  const t = performance.now();
  const child = spawn(process.execPath, [BIN, 'train', file], { cwd: ROOT, env: { ...process.env, KILN_STORE: store }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    // progress lines go to stderr (stdout keeps the results); either counts
    const watch = (d: Buffer) => {
      out += d.toString();
      if (/^epoch +1\//m.test(out)) {
        resolve(performance.now() - t);
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => reject(new Error(`kiln train exited ${code} before its first epoch:\n${out}`)));
  });
}

/**
 * A store of 10,000 seeded runs, kept in the temp folder between benchmark runs (seeding takes
 * minutes on a busy machine); a change of the migrations makes a new one.
 */
async function tenThousandRuns(): Promise<string> {
  const migrations = readdirSync(join(ROOT, 'packages/core/drizzle/sqlite')).join(',');
  const file = join(tmpdir(), `kiln-bench-cli-10k-${createHash('sha256').update(migrations).digest('hex').slice(0, 12)}.db`);
  if (!existsSync(`${file}.done`)) {
    rmSync(file, { force: true });
    const t0 = performance.now();
    const s = await openStore(`file:${file}`);
    await seedRuns(s, 10_000);
    s.close();
    writeFileSync(`${file}.done`, '');
    process.stdout.write(`(seeded 10,000 runs into ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
  return `file:${file}`;
}

/** A valid spec with `n` layers (alternating dense and dropout), built from the default pipeline. */
export function bigSpec(n: number): string {
  const base = readFileSync(`${ROOT}pipelines/penguins-mlp.yaml`, 'utf8');
  const layers = Array.from({ length: n - 1 }, (_, i) => (i % 2 ? '    - { type: dropout, rate: 0.1 }' : '    - { type: dense, units: 32, activation: relu }'));
  return base.replace(/ {2}layers:\n[\s\S]*?\ntrain:/, `  layers:\n${layers.join('\n')}\n    - { type: dense, units: 3, activation: softmax }\ntrain:`);
}

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const reps = Number(args[0] ?? 9);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-cli-'));
  try {
    const bigStore = await tenThousandRuns();
    const env = { ...process.env, KILN_STORE: bigStore };
    timeNode([BIN, 'runs'], 1, env); // the first open of a fresh store runs its migrations check; users meet a warm one
    const rows: [string, number[], number | undefined][] = [];
    const bare = timeNode(['-e', '0'], reps);
    rows.push(['node -e 0', bare, undefined]);
    rows.push(['kiln --version', timeNode([BIN, '--version'], reps), 1.5]);
    rows.push(['kiln validate pipelines/penguins-mlp.yaml', timeNode([BIN, 'validate', 'pipelines/penguins-mlp.yaml'], reps), 3]);
    rows.push(['kiln runs (10,000-run store)', timeNode([BIN, 'runs'], reps, env), 5]);
    const epochs: number[] = [];
    for (let i = 0; i < Math.min(reps, 5); i++) epochs.push(await firstEpoch('pipelines/penguins-mlp.yaml', `file:${join(dir, 'train.db')}`));
    rows.push(['kiln train penguins-mlp.yaml, to the first epoch line', epochs, undefined]);
    const base = median(bare);
    const out = [`start-up, median of ${reps} (train: ${epochs.length}); ratio to bare node start:`];
    for (const [name, times, target] of rows) {
      const ratio = median(times) / base;
      const verdict = target === undefined ? '' : `  target <= ${target}x: ${ratio <= target ? 'met' : 'MISSED'}`;
      out.push(`  ${name.padEnd(56)} ${median(times).toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(6)}x${verdict}`);
    }
    const { loadPipelineText } = await import('@kiln/core/spec');
    const text = bigSpec(200);
    const t1 = performance.now();
    const first = loadPipelineText('big.yaml', text);
    const cold = performance.now() - t1;
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      loadPipelineText('big.yaml', text);
      warm.push(performance.now() - t);
    }
    out.push(`validate a 200-layer spec, first in a process: ${cold.toFixed(1)} ms; median of 20 after that: ${median(warm).toFixed(1)} ms (target < 100)`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
