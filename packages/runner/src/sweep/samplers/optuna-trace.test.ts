// Kiln's TPE modes fed Optuna 3.1's random streams propose what Optuna proposed, trial by trial
// (optuna31-trace.json comes from bench/optuna_tpe_trace.py: Branin, seed 0, 30 trials).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { branin } from '../../bench/tpe.ts';
import { createRng } from '../../random/rng.ts';
import { OPTUNA_31 as OPTUNA, OPTUNA_31_MULTIVARIATE, tpeOnOptunaStreams } from './optuna-streams.ts';
import type { Sampler } from './sampler.ts';
import type { Params, SearchSpace } from './space.ts';
import type { TpeOptions } from './tpe.ts';
import type { Trial } from './trial.ts';

const trace = JSON.parse(readFileSync(new URL('./optuna31-trace.json', import.meta.url), 'utf8')) as { seed: number; trials: number; modes: Record<string, number[][]> };
const space: SearchSpace = { x1: { type: 'uniform', low: -5, high: 10 }, x2: { type: 'uniform', low: 0, high: 15 } };
const value = (p: Params) => branin(Number(p.x1), Number(p.x2));

/** The proposals of a study in which up to `workers` trials are pending, the oldest told first (optuna_tpe_trace.py's loop). */
function proposals(sampler: Sampler, workers: number): number[][] {
  const trials: Trial[] = [];
  const pending: number[] = [];
  const rng = createRng(0);
  for (let i = 0; i < trace.trials; i++) {
    const done = pending.length === workers ? pending.shift() : undefined;
    const t = done === undefined ? undefined : trials[done];
    if (done !== undefined && t !== undefined) trials[done] = { ...t, state: 'complete', value: value(t.params) };
    const params = sampler.suggest(space, trials, rng, 'minimize') ?? {};
    trials.push({ params, state: 'running', number: i });
    pending.push(i);
  }
  return trials.map((t) => [Number(t.params.x1), Number(t.params.x2)]);
}

/** Largest coordinate difference from Optuna's proposal, per trial. */
function gaps(mine: number[][], optuna: number[][]): number[] {
  return optuna.map((row, i) => Math.max(...row.map((v, k) => Math.abs(v - (mine[i]?.[k] ?? Number.NaN)))));
}

const MODES: Array<{ mode: string; options: Partial<TpeOptions>; workers: number }> = [
  { mode: 'default', options: OPTUNA, workers: 1 },
  { mode: 'multivariate', options: OPTUNA_31_MULTIVARIATE, workers: 1 },
  { mode: 'parallel-liar', options: { ...OPTUNA, constantLiar: true }, workers: 4 },
];

describe("Kiln's TPE on Optuna 3.1's random streams", () => {
  for (const { mode, options, workers } of MODES) {
    it(`reproduces Optuna's ${mode} proposals (${workers} worker${workers > 1 ? 's' : ''})`, () => {
      const optuna = trace.modes[mode] ?? [];
      expect(optuna).toHaveLength(trace.trials);
      expect(Math.max(...gaps(proposals(tpeOnOptunaStreams(trace.seed, options), workers), optuna))).toBeLessThan(1e-9);
    });
  }

  it('tells the modes apart: without the liar, the 4-worker study leaves the constant-liar proposals after the start-up', () => {
    const off = gaps(proposals(tpeOnOptunaStreams(trace.seed, OPTUNA), 4), trace.modes['parallel-liar'] ?? []);
    expect(off.slice(0, 13).every((d) => d < 1e-9)).toBe(true);
    expect(Math.max(...off.slice(13))).toBeGreaterThan(0.1);
  });
});
