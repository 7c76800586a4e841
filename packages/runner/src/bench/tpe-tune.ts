// Tuning Kiln's TPE defaults (and holding its gp method) on held-out seeds and held-out functions: every candidate runs
// 50-trial studies, sequential and with 4 simulated workers (3 pending at each proposal), on Branin,
// Hartmann6 and five functions that `pnpm bench tpe` never sees, over seeds 100.. (the target bench
// uses 0-9, never tuned on). Optuna 3.1's modes come from Kiln's TPE with Optuna's settings on
// Optuna's random streams, which reproduces Optuna seed by seed (samplers/optuna-trace.test.ts).
//
//   pnpm bench tpe-tune [--seeds 100-129] [--only name,name] [--functions name,name] [--trials 50]
import { OPTUNA_31, OPTUNA_31_MULTIVARIATE, tpeOnOptunaStreams } from '../sweep/samplers/optuna-streams.ts';
import type { Sampler } from '../sweep/samplers/sampler.ts';
import { tpeSampler, type TpeOptions } from '../sweep/samplers/tpe.ts';
import { gpSampler } from '../sweep/samplers/gp.ts';
import { FUNCTIONS, parseSeeds } from './tpe.ts';
import { TUNING_FUNCTIONS } from './tpe-functions.ts';
import { median, parallelStudy, WORKERS, type ModeFunction } from './tpe-modes.ts';

/** TPE candidate settings, by name: each is TPE_DEFAULTS with these options changed. */
const TPE_CANDIDATES: Record<string, Partial<TpeOptions>> = {
  defaults: {},
  'ei 64': { nEiCandidates: 64 },
  'ei 128': { nEiCandidates: 128 },
  'ei 256': { nEiCandidates: 256 },
  'local 24 x0.25': { localCandidates: 24, localScale: 0.25 },
  'local 64 x0.25': { localCandidates: 64, localScale: 0.25 },
  'local 64 x0.1': { localCandidates: 64, localScale: 0.1 },
  'local 64 x0.5': { localCandidates: 64, localScale: 0.5 },
  'ei 64 + local 64 x0.25': { nEiCandidates: 64, localCandidates: 64, localScale: 0.25 },
  'ei 128 + local 128 x0.25': { nEiCandidates: 128, localCandidates: 128, localScale: 0.25 },
  normalized: { kernelDensity: 'normalized' },
  'normalized + local 64 x0.25': { kernelDensity: 'normalized', localCandidates: 64, localScale: 0.25 },
  rank: { belowWeights: 'rank' },
  'rank + local 64 x0.5': { belowWeights: 'rank', localCandidates: 64, localScale: 0.5 },
  'rank + ei 64': { belowWeights: 'rank', nEiCandidates: 64 },
  'gamma 0.15': { gamma: (n) => Math.min(Math.ceil(0.15 * n), 25) },
  'gamma sqrt': { gamma: (n) => Math.min(Math.ceil(0.5 * Math.sqrt(n)), 25) },
  'sigma 0.2': { sigmaScale: 0.2 },
  'sigma 0.4': { sigmaScale: 0.4 },
  spread: { bandwidth: 'spread' },
  'startup spread 8': { startupCandidates: 8 },
  'startup spread 32': { startupCandidates: 32 },
  'startup 8 spread 16': { nStartupTrials: 8, startupCandidates: 16 },
  'startup 3': { nStartupTrials: 3 },
  'prior 0.5': { priorWeight: 0.5 },
  'prior 2': { priorWeight: 2 },
  'prior 0.5 + ei 64': { priorWeight: 0.5, nEiCandidates: 64 },
  'no liar': { constantLiar: false },
};

/** Every candidate sampler, by name: the TPE settings above and the gp method (which skips spaces with conditions). */
export const CANDIDATES: Record<string, () => Sampler> = {
  ...Object.fromEntries(Object.entries(TPE_CANDIDATES).map(([name, o]) => [name, () => tpeSampler(o)])),
  gp: () => gpSampler(),
  'gp standardize': () => gpSampler({ warp: 'standardize' }),
  'gp rank': () => gpSampler({ warp: 'rank' }),
};

type OptunaMode = 'default' | 'multivariate' | 'parallel' | 'parallel-liar';

/** Optuna 3.1's four modes as Kiln reproduces them on Optuna's streams. */
const OPTUNA_MODES: Array<{ mode: OptunaMode; workers: number; make: (seed: number) => Sampler }> = [
  { mode: 'default', workers: 1, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31) },
  { mode: 'multivariate', workers: 1, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31_MULTIVARIATE) },
  { mode: 'parallel', workers: WORKERS, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31) },
  { mode: 'parallel-liar', workers: WORKERS, make: (seed) => tpeOnOptunaStreams(seed, { ...OPTUNA_31, constantLiar: true }) },
];

/** Per-seed best values of one sampler on one function. */
function bests(f: ModeFunction, make: (seed: number) => Sampler, seeds: readonly number[], nTrials: number, workers: number): number[] {
  return seeds.map((seed) => parallelStudy(f, make(seed), seed, nTrials, workers).best);
}

/** A list option (`--only a,b`) or undefined. */
function listOption(args: string[], name: string): string[] | undefined {
  const i = args.indexOf(name);
  const v = i >= 0 ? args[i + 1] : undefined;
  return v === undefined ? undefined : v.split(',').map((s) => s.trim());
}

interface Tally {
  wins: number;
  cells: number;
  seedWins: number;
  seedCells: number;
  seconds: number;
}

const ALL_FUNCTIONS = [...FUNCTIONS, ...TUNING_FUNCTIONS];

/** What is wrong with the options, in one line, or undefined: held-out seeds only, known names, a whole number of trials. */
export function usageProblem(args: string[]): string | undefined {
  let seeds: number[];
  try {
    seeds = parseSeeds(args.includes('--seeds') ? args : [...args, '--seeds', '100-129']);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (seeds.some((s) => s < 10)) return `seeds 0-9 are the target bench's (pnpm bench tpe); tune on held-out seeds such as --seeds 100-129`;
  const unknown = (given: string[] | undefined, known: string[]) => (given ?? []).filter((n) => !known.includes(n));
  const badNames = unknown(listOption(args, '--only'), Object.keys(CANDIDATES));
  if (badNames.length > 0) return `no candidate named ${badNames.join(', ')}; known: ${Object.keys(CANDIDATES).join(', ')}`;
  const badFns = unknown(listOption(args, '--functions'), ALL_FUNCTIONS.map((f) => f.name));
  if (badFns.length > 0) return `no function named ${badFns.join(', ')}; known: ${ALL_FUNCTIONS.map((f) => f.name).join(', ')}`;
  const trials = Number(listOption(args, '--trials')?.[0] ?? 50);
  if (!Number.isInteger(trials) || trials < 1) return `--trials takes a whole number of trials, got ${listOption(args, '--trials')?.[0] ?? 'nothing'}`;
  return undefined;
}

/** Entry point: per function the medians of every candidate beside Optuna's modes, then how often each candidate wins. */
export async function main(args: string[]): Promise<void> {
  const problem = usageProblem(args);
  if (problem !== undefined) {
    console.error(`pnpm bench tpe-tune: ${problem}`);
    process.exitCode = 2;
    return;
  }
  const seeds = parseSeeds(args.includes('--seeds') ? args : [...args, '--seeds', '100-129']);
  const nTrials = Number(listOption(args, '--trials')?.[0] ?? 50);
  const only = listOption(args, '--only');
  const names = Object.keys(CANDIDATES).filter((n) => only === undefined || only.includes(n));
  const fnNames = listOption(args, '--functions');
  const functions = ALL_FUNCTIONS.filter((f) => fnNames === undefined || fnNames.includes(f.name));
  const tally = new Map<string, Tally>(names.map((n) => [n, { wins: 0, cells: 0, seedWins: 0, seedCells: 0, seconds: 0 }]));
  console.log(`TPE tuning: ${nTrials} trials, seeds ${seeds[0]}..${seeds[seeds.length - 1]}, median best; seq = sequential, par = ${WORKERS} workers with ${WORKERS - 1} pending\n`);
  console.log(`| function | ${OPTUNA_MODES.map((m) => `Optuna ${m.mode}`).join(' | ')} | ${names.map((n) => `${n} seq / par`).join(' | ')} |`);
  console.log(`|---|${OPTUNA_MODES.map(() => '---:').join('|')}|${names.map(() => '---:').join('|')}|`);
  for (const f of functions) {
    const optuna = OPTUNA_MODES.map((m) => ({ ...m, bests: bests(f, m.make, seeds, nTrials, m.workers) }));
    const cells: string[] = [];
    for (const name of names) {
      const make = CANDIDATES[name] ?? (() => tpeSampler());
      if (make().validate(f.space).length > 0) {
        cells.push('–');
        continue;
      }
      const t0 = performance.now();
      const seq = bests(f, make, seeds, nTrials, 1);
      const par = bests(f, make, seeds, nTrials, WORKERS);
      const t = tally.get(name) ?? { wins: 0, cells: 0, seedWins: 0, seedCells: 0, seconds: 0 };
      t.seconds += (performance.now() - t0) / 1000;
      for (const o of optuna) {
        const mine = o.workers === 1 ? seq : par;
        t.cells += 1;
        t.wins += median(mine) <= median(o.bests) ? 1 : 0;
        mine.forEach((v, i) => {
          t.seedCells += 1;
          t.seedWins += v <= (o.bests[i] ?? Infinity) ? 1 : 0;
        });
      }
      tally.set(name, t);
      cells.push(`${median(seq).toFixed(4)} / ${median(par).toFixed(4)}`);
    }
    console.log(`| ${f.name} | ${optuna.map((o) => median(o.bests).toFixed(4)).join(' | ')} | ${cells.join(' | ')} |`);
  }
  console.log(`\n| candidate | medians at least as good as Optuna's (function x mode) | seeds at least as good | seconds |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, t] of tally) console.log(`| ${name} | ${t.wins}/${t.cells} | ${((100 * t.seedWins) / t.seedCells).toFixed(0)} % | ${t.seconds.toFixed(1)} |`);
}
