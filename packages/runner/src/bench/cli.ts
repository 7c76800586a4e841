// `pnpm bench cli`: start-up time of `kiln --help` and the time to validate a 200-layer spec.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kiln.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeCommand(args: string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`kiln ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times;
}

/** A valid spec with `n` layers (alternating dense and dropout), built from the default pipeline. */
export function bigSpec(n: number): string {
  const base = readFileSync(`${ROOT}pipelines/penguins-mlp.yaml`, 'utf8');
  const layers = Array.from({ length: n - 1 }, (_, i) => (i % 2 ? '    - { type: dropout, rate: 0.1 }' : '    - { type: dense, units: 32, activation: relu }'));
  return base.replace(/ {2}layers:\n[\s\S]*?\ntrain:/, `  layers:\n${layers.join('\n')}\n    - { type: dense, units: 3, activation: softmax }\ntrain:`);
}

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const runs = Number(args[0] ?? 7);
  timeCommand(['--help'], 1); // warm tsx's transform cache, as every later start finds it
  const help = timeCommand(['--help'], runs);
  const { loadPipelineText } = await import('@kiln/core/spec');
  const text = bigSpec(200);
  const t0 = performance.now();
  const first = loadPipelineText('big.yaml', text);
  const cold = performance.now() - t0;
  if (!first.ok) throw new Error(JSON.stringify(first.errors));
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    loadPipelineText('big.yaml', text);
    warm.push(performance.now() - t);
  }
  const out = [
    `kiln --help, process start to exit (median of ${runs}): ${median(help).toFixed(0)} ms  (min ${Math.min(...help).toFixed(0)}, target < 500)`,
    `validate a 200-layer spec, first in a process (includes compiling the validator): ${cold.toFixed(1)} ms`,
    `validate a 200-layer spec, median of 20 after that: ${median(warm).toFixed(1)} ms  (target < 100)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
