// The sampler modes side by side (`pnpm bench tpe --with-optuna` prints this after the seed table):
// Kiln's univariate, multivariate and constant-liar TPE and its gp method against Optuna 3.1's
// default, multivariate=True and constant_liar=True TPE on Branin and Hartmann6, 50 trials, one
// study per seed. The target holds when, for every Optuna mode, Kiln's best mode of the same kind
// (sequential or parallel) has a median at least as good.
// The parallel modes simulate 4 workers: the first 4 trials are proposed at once, then the oldest
// pending trial finishes and a new one is proposed, so every later proposal sees 3 pending trials
// (optuna_tpe_modes.py drives Optuna through ask/tell the same way).
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../random/rng.ts';
import type { Sampler } from '../sweep/samplers/sampler.ts';
import type { Params, SearchSpace } from '../sweep/samplers/space.ts';
import { OPTUNA_31, OPTUNA_31_MULTIVARIATE, tpeOnOptunaStreams } from '../sweep/samplers/optuna-streams.ts';
import { TPE_DEFAULTS, tpeSampler } from '../sweep/samplers/tpe.ts';
import { gpSampler } from '../sweep/samplers/gp.ts';
import type { Trial } from '../sweep/samplers/trial.ts';

export const WORKERS = 4;
const HERE = dirname(fileURLToPath(import.meta.url));

export interface ModeFunction {
  name: string;
  space: SearchSpace;
  fn: (p: Params) => number;
}

type OptunaMode = 'default' | 'multivariate' | 'parallel' | 'parallel-liar';

/** One mode of a sampler: how to build it (per seed), and whether its study runs with pending trials. */
interface Mode {
  label: string;
  parallel: boolean;
  make: (seed: number) => Sampler;
  /** Targets: the Optuna modes this Kiln mode must be at least as good as (median best @50). */
  versus?: OptunaMode[];
  /** A reproduction check: Optuna's settings on Optuna's random streams, expected to give that mode's numbers seed by seed. */
  same?: OptunaMode;
}

/** Kiln's modes: the tpe and gp defaults are held against every Optuna mode of the same kind, the rest are for comparison. */
export const KILN_MODES: Mode[] = [
  { label: "Optuna 3.1's default settings on Optuna's streams", parallel: false, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31), same: 'default' },
  { label: "Optuna 3.1's multivariate settings on Optuna's streams", parallel: false, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31_MULTIVARIATE), same: 'multivariate' },
  { label: 'Kiln univariate', parallel: false, make: () => tpeSampler({ multivariate: false }) },
  { label: "Kiln multivariate, Optuna's widths", parallel: false, make: () => tpeSampler({ bandwidth: 'range', sigmaScale: 0.2 }) },
  { label: 'Kiln tpe defaults (multivariate)', parallel: false, make: () => tpeSampler(), versus: ['default', 'multivariate'] },
  { label: 'Kiln gp', parallel: false, make: () => gpSampler(), versus: ['default', 'multivariate'] },
  { label: "4 workers, Optuna 3.1's liar settings on Optuna's streams", parallel: true, make: (seed) => tpeOnOptunaStreams(seed, { ...OPTUNA_31, constantLiar: true }), same: 'parallel-liar' },
  { label: "4 workers, Optuna 3.1's settings (no liar) on Optuna's streams", parallel: true, make: (seed) => tpeOnOptunaStreams(seed, OPTUNA_31), same: 'parallel' },
  { label: 'Kiln 4 workers, no liar', parallel: true, make: () => tpeSampler({ constantLiar: false }) },
  { label: 'Kiln 4 workers, univariate + liar', parallel: true, make: () => tpeSampler({ multivariate: false }) },
  { label: 'Kiln 4 workers, tpe defaults (multivariate + liar)', parallel: true, make: () => tpeSampler(), versus: ['parallel', 'parallel-liar'] },
  { label: 'Kiln 4 workers, gp (pending trials as believers)', parallel: true, make: () => gpSampler(), versus: ['parallel', 'parallel-liar'] },
];

/** Position of a point in the unit cube of the space's uniform parameters (others left out). */
function unitPoint(space: SearchSpace, p: Params): number[] {
  return Object.entries(space).flatMap(([k, d]) => (d.type === 'uniform' ? [(Number(p[k]) - d.low) / (d.high - d.low)] : []));
}

/**
 * A study of n trials in which up to `workers` trials are pending: each proposal is made with the
 * trials still running in the history (state 'running'), oldest finishing first. Returns the best
 * value and, for each proposal made after the random start-up, its distance to the nearest
 * pending trial in the unit cube (how far the workers spread out).
 */
export function parallelStudy(f: ModeFunction, sampler: Sampler, seed: number, nTrials: number, workers = WORKERS): { best: number; nearestPending: number[] } {
  const rng = createRng(seed);
  const trials: Trial[] = [];
  const pending: number[] = [];
  const nearestPending: number[] = [];
  const finish = (i: number | undefined) => {
    const t = i === undefined ? undefined : trials[i];
    if (t !== undefined) trials[t.number ?? 0] = { ...t, state: 'complete', value: f.fn(t.params) };
  };
  for (let i = 0; i < nTrials; i++) {
    if (pending.length === workers) finish(pending.shift());
    const params = sampler.suggest(f.space, trials, rng, 'minimize');
    if (params === null) break;
    if (i >= TPE_DEFAULTS.nStartupTrials + workers && pending.length > 0) {
      const u = unitPoint(f.space, params);
      nearestPending.push(Math.min(...pending.map((j) => Math.hypot(...unitPoint(f.space, trials[j]?.params ?? {}).map((v, k) => v - (u[k] ?? 0))))));
    }
    trials.push({ params, state: 'running', number: i });
    pending.push(i);
  }
  while (pending.length > 0) finish(pending.shift());
  return { best: trials.reduce((b, t) => Math.min(b, t.value ?? Infinity), Infinity), nearestPending };
}

/** The best value of parallelStudy. */
export function parallelBest(f: ModeFunction, sampler: Sampler, seed: number, nTrials: number, workers = WORKERS): number {
  return parallelStudy(f, sampler, seed, nTrials, workers).best;
}

/** Per-seed best of 50 trials of one Kiln mode (sequential studies have one worker), and the median nearest-pending distance. */
function kilnRuns(f: ModeFunction, mode: Mode, seeds: readonly number[], nTrials: number): { bests: number[]; spread: number } {
  const runs = seeds.map((seed) => parallelStudy(f, mode.make(seed), seed, nTrials, mode.parallel ? WORKERS : 1));
  return { bests: runs.map((r) => r.best), spread: median(runs.flatMap((r) => r.nearestPending)) };
}

/** Optuna's per-seed bests by function and mode, from optuna_tpe_modes.py (needs /usr/bin/python3 with optuna). */
function optunaBests(seeds: readonly number[], nTrials: number): Map<string, number[]> {
  const script = resolve(HERE, 'optuna_tpe_modes.py');
  const out = execFileSync('/usr/bin/python3', [script, '--seeds', `${seeds[0]}-${seeds[seeds.length - 1]}`, '--trials', String(nTrials)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const rows = new Map<string, number[]>();
  for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { function: string; mode: string; per_seed_best: number[] };
    rows.set(`${r.function}/${r.mode}`, r.per_seed_best);
  }
  return rows;
}

/** Median with numpy's interpolation (mean of the middle two). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const lo = s[(s.length - 1) >> 1];
  const hi = s[s.length >> 1];
  return lo === undefined || hi === undefined ? Number.NaN : (lo + hi) / 2;
}

const fmt = (x: number) => x.toFixed(4);

interface Cell {
  vs: string;
  ref: string;
  verdict: string;
  /** The Optuna mode this cell holds Kiln against (none for a reproduction check). */
  target?: OptunaMode;
  pass?: boolean;
}

/** The comparison cells of one Kiln mode: one per Optuna mode it is held against or should reproduce. */
function verdicts(f: ModeFunction, m: Mode, bests: readonly number[], optuna: Map<string, number[]>): Cell[] {
  const med = median(bests);
  const out: Cell[] = (m.versus ?? []).flatMap((mode) => {
    const ref = optuna.get(`${f.name}/${mode}`);
    if (ref === undefined) return [];
    const pass = med <= median(ref);
    return [{ vs: `Optuna ${mode}`, ref: fmt(median(ref)), verdict: pass ? 'PASS' : 'FAIL', target: mode, pass }];
  });
  const same = m.same === undefined ? undefined : optuna.get(`${f.name}/${m.same}`);
  if (m.same !== undefined && same !== undefined) {
    const delta = Math.max(...bests.map((b, i) => Math.abs(b - (same[i] ?? Number.NaN))));
    out.push({ vs: `Optuna ${m.same}`, ref: fmt(median(same)), verdict: `same run: max per-seed Δ ${delta.toExponential(1)}` });
  }
  return out;
}

/**
 * Runs every mode on every function and prints the medians side by side; true when every Optuna
 * mode is matched or beaten by at least one of Kiln's held modes of the same kind. Without Optuna's own run the references are the rows that reproduce Optuna on
 * its random streams (equal to Optuna's per-seed results where both ran), so any seed range is cheap.
 */
export function printModes(functions: readonly ModeFunction[], seeds: readonly number[], withOptuna: boolean, nTrials = 50): boolean {
  const optuna = withOptuna ? optunaBests(seeds, nTrials) : new Map<string, number[]>();
  // Per function and Optuna mode: the Kiln modes that matched or beat it.
  const met = new Map<string, string[]>();
  console.log(`\nTPE modes: median best after ${nTrials} trials over seeds ${seeds[0]}..${seeds[seeds.length - 1]}; parallel = ${WORKERS} simulated workers, each proposal made while ${WORKERS - 1} trials are pending`);
  console.log(withOptuna ? 'Optuna 3.1 columns: Optuna itself, run now\n' : "Optuna 3.1 columns: Kiln with Optuna's settings on Optuna's random streams (reproduces Optuna seed by seed; --with-optuna runs Optuna itself)\n");
  console.log('| function | Kiln mode | Kiln median @50 | Optuna 3.1 mode | Optuna median @50 | verdict | nearest pending trial |');
  console.log('|---|---|---:|---|---:|---|---:|');
  for (const f of functions) {
    const runs = KILN_MODES.map((m) => ({ m, r: kilnRuns(f, m, seeds, nTrials) }));
    const refs = withOptuna ? optuna : new Map(runs.flatMap(({ m, r }) => (m.same === undefined ? [] : [[`${f.name}/${m.same}`, r.bests] as const])));
    for (const { m, r } of runs) {
      const spread = Number.isNaN(r.spread) ? '–' : r.spread.toFixed(3);
      const cells = verdicts(f, withOptuna ? m : { ...m, same: undefined }, r.bests, refs);
      for (const c of cells) if (c.target !== undefined) met.set(`${f.name}/${c.target}`, [...(met.get(`${f.name}/${c.target}`) ?? []), ...(c.pass ? [m.label] : [])]);
      if (cells.length === 0) console.log(`| ${f.name} | ${m.label} | ${fmt(median(r.bests))} | – | – | – | ${spread} |`);
      for (const c of cells) console.log(`| ${f.name} | ${m.label} | ${fmt(median(r.bests))} | ${c.vs} | ${c.ref} | ${c.verdict} | ${spread} |`);
    }
  }
  console.log('\nnearest pending trial: median distance (unit cube) from a proposal made after the start-up to the closest trial still running; larger = workers spread out');
  if (withOptuna) console.log("same run: Kiln's TPE with Optuna's settings, fed Optuna's random streams, against Optuna itself (the largest per-seed difference of the best value)");
  const allPass = [...met.values()].every((winners) => winners.length > 0);
  for (const [cell, winners] of met) console.log(`  ${cell}: ${winners.length > 0 ? `met by ${winners.join('; ')}` : 'NOT MET'}`);
  console.log(`target (Kiln's best held mode at least as good as every Optuna mode of the same kind): ${allPass ? 'PASS' : 'FAIL'}`);
  return allPass;
}
