// Benchmark of Kiln's TPE, GP and random samplers on Branin (2-D) and Hartmann6 (6-D), mirroring
// bench/reference/optuna_bench.py: 50 trials, seeds 0..9, best value after 10/25/50 trials, median and
// IQR (numpy's linear percentiles) over seeds, printed next to Optuna 3.1's reference numbers.
//
// Then the TPE modes (tpe-modes.ts): univariate, multivariate and constant liar beside Optuna's.
//
//   pnpm bench tpe [--with-optuna] [--with-normalized] [--seeds 0-9] [--modes-only]
import { execFileSync } from 'node:child_process';
import { must } from '@kiln/core/errors';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OPTUNA_31, randomOnOptunaStream, tpeOnOptunaStreams } from '../sweep/samplers/optuna-streams.ts';
import { optimize } from '../sweep/samplers/study.ts';
import { randomSampler } from '../sweep/samplers/random.ts';
import type { Sampler } from '../sweep/samplers/sampler.ts';
import type { Params, SearchSpace } from '../sweep/samplers/space.ts';
import { tpeSampler } from '../sweep/samplers/tpe.ts';
import { gpSampler } from '../sweep/samplers/gp.ts';
import { printModes } from './tpe-modes.ts';

const N_TRIALS = 50;
const CHECKPOINTS = [10, 25, 50] as const;
const HERE = dirname(fileURLToPath(import.meta.url));
const REFERENCE_DIR = process.env.KILN_BENCH_REFERENCE ?? resolve(HERE, '../../../../../shared/bench/reference');

/** Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887. */
export function branin(x1: number, x2: number): number {
  const a = 1;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const r = 6;
  const s = 10;
  const t = 1 / (8 * Math.PI);
  return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s;
}

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => 1e-4 * v));

/** Hartmann6's four terms, each a weight with its A and P rows (the three tables above are 4 rows long). */
const H6_TERMS = H6_ALPHA.map((alpha, i) => ({
  alpha,
  a: must(H6_A[i], 'H6_A has a row per alpha'),
  p: must(H6_P[i], 'H6_P has a row per alpha'),
}));

/** Hartmann6 on [0, 1]^6; global minimum -3.32237. */
export function hartmann6(x: readonly number[]): number {
  let sum = 0;
  for (const { alpha, a, p } of H6_TERMS) {
    let inner = 0;
    a.forEach((aj, j) => {
      inner += aj * ((x[j] ?? Number.NaN) - must(p[j], 'P rows are as long as A rows')) ** 2;
    });
    sum += alpha * Math.exp(-inner);
  }
  return -sum;
}

interface BenchFunction {
  name: string;
  knownMin: number;
  space: SearchSpace;
  fn: (p: Params) => number;
}

const num = (p: Params, k: string): number => Number(p[k]);
export const FUNCTIONS: BenchFunction[] = [
  {
    name: 'branin',
    knownMin: 0.397887,
    space: { x1: { type: 'uniform', low: -5, high: 10 }, x2: { type: 'uniform', low: 0, high: 15 } },
    fn: (p) => branin(num(p, 'x1'), num(p, 'x2')),
  },
  {
    name: 'hartmann6',
    knownMin: -3.32237,
    space: Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`x${i}`, { type: 'uniform', low: 0, high: 1 }])),
    fn: (p) => hartmann6([1, 2, 3, 4, 5, 6].map((i) => num(p, `x${i}`))),
  },
];

/** Percentile with numpy's default linear interpolation. */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (q / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  const [low, high] = [s[lo], s[hi]];
  // No values, no percentile (as numpy's nanpercentile of an empty array).
  if (low === undefined || high === undefined) return Number.NaN;
  return low + (high - low) * (pos - lo);
}

interface Summary {
  median: number;
  q25: number;
  q75: number;
}

const summarise = (xs: readonly number[]): Summary => ({ median: percentile(xs, 50), q25: percentile(xs, 25), q75: percentile(xs, 75) });

interface Row {
  fn: string;
  sampler: string;
  bestAfter: Record<string, Summary>;
  studySeconds: number;
  /** Best value after 50 trials, per seed. */
  perSeed50: number[];
  /** Optuna's numbers for the same cell, when known. */
  ref?: Record<string, Summary>;
  refPerSeed50?: number[];
}

/** Runs one sampler over all seeds on one function. */
async function benchOne(f: BenchFunction, label: string, make: (seed: number) => Sampler, seeds: number[]): Promise<Row> {
  const perCheckpoint = new Map<number, number[]>(CHECKPOINTS.map((k) => [k, []]));
  const times: number[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const { trials } = await optimize(f.fn, f.space, { sampler: make(seed), nTrials: N_TRIALS, seed, direction: 'minimize' });
    times.push((performance.now() - t0) / 1000);
    let best = Infinity;
    trials.forEach((t, i) => {
      best = Math.min(best, t.value ?? Infinity);
      perCheckpoint.get(i + 1)?.push(best);
    });
  }
  const bestAfter = Object.fromEntries([...perCheckpoint].map(([k, xs]) => [String(k), summarise(xs)]));
  const perSeed50 = perCheckpoint.get(50) ?? [];
  return { fn: f.name, sampler: label, bestAfter, studySeconds: percentile(times, 50), perSeed50 };
}

interface OptunaLine {
  function?: string;
  sampler?: string;
  best_after?: Record<string, Summary>;
  per_seed_best?: Record<string, number[]>;
  study_seconds_median?: number;
}

/** Optuna rows from JSON lines (the stored reference file or a fresh run of optuna_bench.py). */
function parseOptuna(text: string): Row[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as OptunaLine)
    .filter((r) => r.function !== undefined && r.best_after !== undefined)
    .map((r) => ({ fn: String(r.function), sampler: `Optuna ${r.sampler}`, bestAfter: r.best_after ?? {}, studySeconds: r.study_seconds_median ?? NaN, perSeed50: r.per_seed_best?.['50'] ?? [] }));
}

function loadReference(): Row[] {
  const file = resolve(REFERENCE_DIR, 'results/optuna_bench.jsonl');
  return existsSync(file) ? parseOptuna(readFileSync(file, 'utf8')) : [];
}

/** Runs Optuna's own script now, on this machine (needs /usr/bin/python3 with optuna). */
function runOptuna(): Row[] {
  const script = resolve(REFERENCE_DIR, 'optuna_bench.py');
  const out = execFileSync('/usr/bin/python3', [script], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return parseOptuna(out).map((r) => ({ ...r, sampler: `${r.sampler} (this run)` }));
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(2) : x.toFixed(4));
const cell = (s: Summary | undefined): string => (s ? `${fmt(s.median)} [${fmt(s.q25)}, ${fmt(s.q75)}]` : '–');

/** Largest per-seed difference from Optuna's best @50 (same seeds), when the reference has per-seed values. */
function seedDelta(r: Row): string {
  const ref = r.refPerSeed50;
  if (ref === undefined || ref.length !== r.perSeed50.length) return '–';
  return Math.max(...r.perSeed50.map((v, i) => Math.abs(v - (ref[i] ?? Number.NaN)))).toExponential(1);
}

function printTable(rows: Row[], seeds: number[]): void {
  console.log(`\n${N_TRIALS} trials, seeds ${seeds[0]}..${seeds[seeds.length - 1]}; cells = median [q25, q75] of best value so far over seeds\n`);
  console.log('| function | sampler | best @10 | best @25 | best @50 | IQR @50 | Optuna 3.1 reference @50 | max per-seed |Δ| @50 | s / study |');
  console.log('|---|---|---|---|---|---:|---|---:|---:|');
  for (const r of rows) {
    const b50 = r.bestAfter['50'];
    const iqr = b50 ? fmt(b50.q75 - b50.q25) : '–';
    console.log(`| ${r.fn} | ${r.sampler} | ${cell(r.bestAfter['10'])} | ${cell(r.bestAfter['25'])} | ${cell(b50)} | ${iqr} | ${cell(r.ref?.['50'])} | ${seedDelta(r)} | ${r.studySeconds.toFixed(3)} |`);
  }
}

/** The seeds named by `--seeds A-B` (or `--seeds N`), 0..9 without the option. */
export function parseSeeds(args: string[]): number[] {
  const i = args.indexOf('--seeds');
  const spec = i >= 0 ? args[i + 1] : '0-9';
  const [a, b = a] = spec === undefined || spec === '' ? [] : spec.split('-').map(Number);
  if (a === undefined || b === undefined || !Number.isInteger(a) || !Number.isInteger(b) || b < a) {
    throw new Error(`--seeds takes a range such as 0-9 or one seed such as 3, got ${spec ?? 'nothing'}`);
  }
  return Array.from({ length: b - a + 1 }, (_, k) => a + k);
}

/** Entry point: prints the comparison tables; flags --with-optuna, --with-normalized, --seeds A-B, --modes-only. */
export async function main(args: string[]): Promise<void> {
  const seeds = parseSeeds(args);
  if (args.includes('--modes-only')) {
    printModes(FUNCTIONS, seeds, args.includes('--with-optuna'));
    return;
  }
  const reference = loadReference();
  const methods: Array<[string, string, (seed: number) => Sampler]> = [
    ['Kiln TPE (defaults)', 'TPE', () => tpeSampler()],
    ['Kiln TPE, Optuna 3.1 settings', 'TPE', () => tpeSampler(OPTUNA_31)],
    ['Kiln GP (the gp method)', 'GP', () => gpSampler()],
    ['Kiln Random', 'Random', () => randomSampler()],
    ['Kiln TPE, Optuna-seeded streams', 'TPE', (seed) => tpeOnOptunaStreams(seed, OPTUNA_31)],
    ['Kiln Random, Optuna-seeded stream', 'Random', (seed) => randomOnOptunaStream(seed)],
  ];
  if (args.includes('--with-normalized')) methods.splice(1, 0, ['Kiln TPE, Optuna 3.1 settings, normalized kernels', 'TPE', () => tpeSampler({ ...OPTUNA_31, kernelDensity: 'normalized' })]);
  const rows: Row[] = [];
  for (const f of FUNCTIONS) {
    for (const [label, refName, make] of methods) {
      const row = await benchOne(f, label, make, seeds);
      const ref = reference.find((r) => r.fn === f.name && r.sampler === `Optuna ${refName}`);
      row.ref = ref?.bestAfter;
      if (ref !== undefined && seeds.length === ref.perSeed50.length && seeds.every((s, i) => s === i)) row.refPerSeed50 = ref.perSeed50;
      rows.push(row);
    }
    rows.push(...reference.filter((r) => r.fn === f.name).map((r) => ({ ...r, sampler: `${r.sampler} (stored reference)` })));
  }
  if (args.includes('--with-optuna')) {
    const fresh = runOptuna();
    for (const r of fresh) rows.splice(rows.map((x) => x.fn).lastIndexOf(r.fn) + 1, 0, r);
  }
  if (reference.length === 0) console.log(`(no Optuna reference found under ${REFERENCE_DIR}; set KILN_BENCH_REFERENCE)`);
  printTable(rows, seeds);
  printModes(FUNCTIONS, seeds, args.includes('--with-optuna'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
