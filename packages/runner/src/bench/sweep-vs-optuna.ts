// `pnpm bench sweep-vs-optuna`: a real sweep, Kiln's against Optuna's, on the same training. The MNIST
// MLP with a dropout layer (pipelines/mnist-mlp-sweep.yaml plus dropout), learning rate x width x
// dropout, 24 trials, 4 at a time, maximizing val.accuracy: `kiln sweep` (each method of --methods
// with its defaults) against Optuna 3.1's default TPESampler driving `kiln train` through
// optuna_sweep.py with the same ranges, budget and parallelism. Prints the best validation accuracy of
// each, per seed (the sampler's seed; the training seed stays the pipeline's), and the medians.
//
//   pnpm bench sweep-vs-optuna [--quick] [--seeds 0-2] [--trials 24] [--parallel 4] [--methods tpe,gp] [--set PATH=VALUE ...]
//   --quick: 6 trials, 2 at a time, 2 epochs on 2,000 images, one seed (a smoke run, minutes)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepSummary } from '../sweep/report.ts';
import { median } from './tpe-modes.ts';
import { parseSeeds } from './tpe.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/kiln.mjs', import.meta.url));
const OPTUNA_SCRIPT = fileURLToPath(new URL('./optuna_sweep.py', import.meta.url));

/** The sweep's space, the same ranges as optuna_sweep.py's SPACE. */
const PARAMETERS = `  parameters:
    train.optimizer.learningRate: { type: logUniform, low: 0.0001, high: 0.3 }
    model.layers[1].units: { type: intLog, low: 16, high: 512 }
    model.layers[2].rate: { type: uniform, low: 0, high: 0.6 }
`;

interface Options {
  seeds: number[];
  /** Kiln's sweep methods to run, each against the same Optuna study. */
  methods: string[];
  trials: number;
  parallel: number;
  sets: string[];
}

/** The options; --quick shrinks every default to a smoke run. */
export function parseOptions(args: string[]): Options {
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const sets = args.flatMap((a, i) => (a === '--set' && args[i + 1] !== undefined ? [String(args[i + 1])] : []));
  return {
    seeds: get('seeds') !== undefined ? parseSeeds(args) : quick ? [0] : [0, 1, 2],
    methods: (get('methods') ?? 'tpe,gp').split(',').filter(Boolean),
    trials: Number(get('trials') ?? (quick ? 6 : 24)),
    parallel: Number(get('parallel') ?? (quick ? 2 : 4)),
    sets: quick ? ['train.epochs=2', 'data.source.limit=2000', ...sets] : sets,
  };
}

/** mnist-mlp-sweep.yaml with a dropout layer after the hidden one and the three-parameter space. */
export function benchPipeline(): string {
  const base = readFileSync(join(ROOT, 'pipelines/mnist-mlp-sweep.yaml'), 'utf8');
  const withDropout = base.replace(/( {4}- \{ type: dense, units: 128, activation: relu \}\n)/, '$1    - { type: dropout, rate: 0.2 }\n');
  return withDropout.replace(/ {2}parameters:\n(?: {4}.*\n)+/, PARAMETERS);
}

/** Best val.accuracy of one `kiln sweep` (its summary on stdout). */
function kilnSweep(file: string, store: string, seed: number, method: string, o: Options): Promise<number | null> {
  const args = [BIN, 'sweep', file, '--store', store, '--trials', String(o.trials), '--parallel', String(o.parallel), '--set', `sweep.seed=${seed}`, '--set', `sweep.method=${method}`, '--json'];
  for (const s of o.sets) args.push('--set', s);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('close', (code) => (code === 0 ? resolve((JSON.parse(out) as SweepSummary).best?.value ?? null) : reject(new Error(`kiln sweep exited ${code}`))));
  });
}

/** Best val.accuracy of Optuna's study of the same training (optuna_sweep.py; needs /usr/bin/python3 with optuna). */
function optunaSweep(file: string, store: string, seed: number, o: Options): number | null {
  const args = [OPTUNA_SCRIPT, '--kiln', BIN, '--node', process.execPath, '--pipeline', file, '--store', store, '--trials', String(o.trials), '--parallel', String(o.parallel), '--seed', String(seed)];
  for (const s of o.sets) args.push('--set', s);
  const out = execFileSync('/usr/bin/python3', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const line = out.split('\n').find((l) => l.startsWith('{'));
  return line === undefined ? null : ((JSON.parse(line) as { best: number | null }).best ?? null);
}

const pct = (v: number | null) => (v === null || Number.isNaN(v) ? '-' : `${(v * 100).toFixed(2)}%`);

/** Runs both sweeps per seed and prints the table. */
export async function main(args: string[] = []): Promise<void> {
  const o = parseOptions(args);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-sweep-optuna-'));
  const file = join(dir, 'mnist-mlp-tune.yaml');
  writeFileSync(file, benchPipeline());
  const store = `file:${join(dir, 'kiln.db')}`;
  const rows: Array<{ seed: number; kiln: Array<{ best: number | null; s: number }>; optuna: number | null; optunaS: number }> = [];
  for (const seed of o.seeds) {
    const kiln: Array<{ best: number | null; s: number }> = [];
    for (const method of o.methods) {
      process.stderr.write(`seed ${seed}: kiln sweep, ${method} (${o.trials} trials, ${o.parallel} at a time)\n`);
      const t = performance.now();
      kiln.push({ best: await kilnSweep(file, store, seed, method, o), s: (performance.now() - t) / 1000 });
    }
    process.stderr.write(`seed ${seed}: Optuna driving kiln train\n`);
    const t = performance.now();
    const optuna = optunaSweep(file, store, seed, o);
    rows.push({ seed, kiln, optuna, optunaS: (performance.now() - t) / 1000 });
  }
  console.log(`\nmnist-mlp + dropout: learning rate x width x dropout, ${o.trials} trials, ${o.parallel} at a time${o.sets.length ? `, --set ${o.sets.join(' ')}` : ''}; best val.accuracy\n`);
  console.log(`| seed | ${o.methods.map((m) => `Kiln ${m}`).join(' | ')} | Optuna 3.1 TPE | ${o.methods.map((m) => `Kiln ${m} s`).join(' | ')} | Optuna s |`);
  console.log(`|---:|${o.methods.map(() => '---:|').join('')}---:|${o.methods.map(() => '---:|').join('')}---:|`);
  for (const r of rows) console.log(`| ${r.seed} | ${r.kiln.map((k) => pct(k.best)).join(' | ')} | ${pct(r.optuna)} | ${r.kiln.map((k) => k.s.toFixed(0)).join(' | ')} | ${r.optunaS.toFixed(0)} |`);
  const med = (xs: Array<number | null | undefined>) => median(xs.map((x) => x ?? Number.NaN));
  console.log(`| median | ${o.methods.map((_, i) => pct(med(rows.map((r) => r.kiln[i]?.best)))).join(' | ')} | ${pct(med(rows.map((r) => r.optuna)))} | |${o.methods.map(() => ' |').join('')}`);
  console.log(`\nstore: ${store}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
