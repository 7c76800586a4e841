// Gaussian-process Bayesian optimisation (the `gp` method): a Matern 5/2 process fitted to the
// finished trials, then the point of highest log expected improvement. Pending trials enter as
// "believers" (Ginsbourger's kriging believer: observed at the model's own prediction), which
// removes their uncertainty so parallel workers do not propose the same point; pruned trials
// enter at the worst finished value. Each proposal costs O(n^3) in the n finished trials.
import { kilnError, type KilnError } from '@kiln/core';
import type { Rng } from '../../random/rng.ts';
import { assertValid, type Sampler } from './sampler.ts';
import { validateSpace } from './conditions.ts';
import { spreadStartup } from './startup.ts';
import type { Params, SearchSpace } from './space.ts';
import { lossSign, type Direction, type Trial } from './trial.ts';
import { axesOf, decode, encode, snap } from './gp/encode.ts';
import { condition, fitHyper, predict } from './gp/model.ts';
import { logEi, maximise, type SearchOptions } from './gp/acquisition.ts';
import { warpLosses, type Warp } from './gp/warp.ts';

export interface GpOptions extends SearchOptions {
  /** Finished trials sampled at random before the model takes over. */
  nStartupTrials: number;
  /** How losses are rescaled before the model sees them. */
  warp: Warp;
}

export const GP_DEFAULTS: GpOptions = {
  // Not Optuna GPSampler's 10: over held-out seeds 100-119 (50 trials) 5 gave Hartmann6 a median best of
  // -3.320 against -3.254 sequentially and -3.200 against -3.197 with 4 workers, Branin 0.398 either way;
  // and in a 24-trial sweep 10 random trials would be most of the budget.
  nStartupTrials: 5,
  // `pnpm bench tpe-tune --seeds 100-119 --only "gp,gp standardize,gp rank"` (50 trials, sequential and 4 workers,
  // six functions without conditions): with Yeo-Johnson the medians were at least as good as every Optuna 3.1
  // TPE mode's in 24/24 cells (85 % of seeds); standardised only, 18/24 (73 %: Rosenbrock's huge far values
  // flattened its valley, 220 against 28); rank quantiles did worse still before SAME_POINT (15/24, 54 %: they
  // throw away how much better the best trials are).
  warp: 'yeo-johnson',
  candidates: 2048,
  localStarts: 5,
  localSteps: 100,
};

// The hyperparameter fit costs O(n^3) per step of L-BFGS; past this many finished trials it fits to
// the best quarter and the newest of the rest (a 400-trial history: ~15 s a proposal -> ~2 s),
// and only conditioning on every trial stays O(n^3), once.
const FIT_LIMIT = 128;

/** Indices of the trials the hyperparameters are fitted to: all, or the best FIT_LIMIT / 4 and the newest others. */
export function fitSubset(y: readonly number[], limit = FIT_LIMIT): number[] {
  if (y.length <= limit) return y.map((_, i) => i);
  const best = y.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v).slice(0, limit >> 2).map((e) => e.i);
  const chosen = new Set(best);
  for (let i = y.length - 1; i >= 0 && chosen.size < limit; i--) chosen.add(i);
  return [...chosen].sort((a, b) => a - b);
}

// Two points closer than this on every axis (a fraction of its range; choices must be equal) count as
// the same trial: a sweep's training is seeded, so rerunning a point, or one a hair away, tells
// nothing new, and a model that believes its observations noisy would otherwise keep refining the
// incumbent, and with several workers propose the same point to each of them.
const SAME_POINT = 0.01;

/** Whether two encoded points count as the same trial (within SAME_POINT on every axis). */
export function isSamePoint(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, d) => Math.abs(v - (b[d] ?? Number.NaN)) < SAME_POINT);
}

/** Problems of a space for the gp method: the general ones, and conditions (the process needs every parameter in every trial). */
export function validateGpSpace(space: SearchSpace): KilnError[] {
  const errors = validateSpace(space);
  const conditional = Object.keys(space).find((name) => space[name]?.when !== undefined);
  if (errors.length > 0 || conditional === undefined) return errors;
  return [kilnError('sweep/gp-conditional', `${conditional}.when`, `the gp method models every parameter in every trial, and '${conditional}' exists only in some`, "use method: tpe for a space with conditional parameters, or drop the 'when'")];
}

/** Encoded trials of the history split by what the model learns from them. */
function encodeHistory(space: SearchSpace, history: readonly Trial[], direction: Direction) {
  const axes = axesOf(space);
  const sign = lossSign(direction);
  const done: Array<{ u: number[]; loss: number }> = [];
  const pending: number[][] = [];
  const worse: number[][] = [];
  for (const t of history) {
    const u = encode(axes, t.params);
    if (u === undefined) continue;
    const finite = t.value !== undefined && Number.isFinite(t.value);
    if (t.state === 'complete' && finite) done.push({ u, loss: sign * (t.value ?? 0) });
    else if (t.state === 'running') pending.push(u);
    // A pruned trial, or one that ended at +-Infinity, was judged bad: it weighs as the worst.
    else if (t.state === 'pruned' || (t.state === 'complete' && t.value !== undefined && !Number.isNaN(t.value))) worse.push(u);
  }
  return { axes, done, pending, worse };
}

/** GP sampler with GP_DEFAULTS, overridable per option. */
export function gpSampler(options: Partial<GpOptions> = {}): Sampler {
  const o: GpOptions = { ...GP_DEFAULTS, ...options };
  return {
    name: 'gp',
    validate: validateGpSpace,
    suggest(space: SearchSpace, history: readonly Trial[], rng: Rng, direction: Direction = 'minimize'): Params {
      assertValid(this, space);
      const { axes, done, pending, worse } = encodeHistory(space, history, direction);
      if (done.length < o.nStartupTrials) return spreadStartup(space, history, rng, 1);
      const x = done.map((d) => d.u);
      const y = warpLosses(done.map((d) => d.loss), o.warp);
      const subset = fitSubset(y);
      const hyper = fitHyper(axes, subset.map((i) => x[i] ?? []), subset.map((i) => y[i] ?? 0));
      const base = condition(axes, hyper, x, y);
      const worst = Math.max(...y);
      // Pruned trials are noisy like finished ones; a pending trial's believed value is exact, so no
      // uncertainty (and no expected improvement) is left where a worker is already training.
      const believed = [...worse.map(() => worst), ...pending.map((u) => predict(base, u).mean)];
      const gp = believed.length === 0 ? base : condition(axes, hyper, [...x, ...worse, ...pending], [...y, ...believed], x.length + worse.length);
      const best = Math.min(...y);
      const incumbent = x[y.indexOf(best)] ?? [];
      const tried = [...x, ...worse, ...pending];
      const score = (u: number[]) => {
        const v = snap(axes, u);
        if (tried.some((t) => isSamePoint(t, v))) return -Infinity;
        const p = predict(gp, v);
        return logEi(p.mean, p.sd, best);
      };
      // When every point was tried (a small discrete space), the best candidate repeats one: nothing new is left.
      return decode(axes, maximise(axes, score, [incumbent], rng, o));
    },
  };
}
