// Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 3.1 TPESampler's defaults:
// split past trials into the best gamma(n) ("below", l(x)) and the rest ("above", g(x)), draw
// candidates from l and keep the one with the highest l(x)/g(x); each parameter alone (univariate)
// or each group of parameters that share a condition jointly (multivariate, joint.ts). Pending
// trials enter as liars (constantLiar), so parallel workers do not propose the same point.
import { must } from '@kiln/core/errors';
import { fitParzen, fromInternal, logPdfParzen, sampleParzen, toInternal } from './parzen.ts';
import { fitJoint, logPdfJoint, sampleJoint, type JointOptions } from './joint.ts';
import { belowOptions } from './below.ts';
import { narrowJoint, narrowParzen } from './local.ts';
import { spreadStartup } from './startup.ts';
import type { Rng } from '../../random/rng.ts';
import { assertValid, type Sampler } from './sampler.ts';
import { conditionGroups, isActive, validateSpace } from './conditions.ts';
import type { Choice, Distribution, Params, SearchSpace } from './space.ts';
import { intermediateSteps, lossSign, type Direction, type Trial } from './trial.ts';

export interface TpeOptions extends JointOptions {
  /** Trials sampled at random before the model takes over. */
  nStartupTrials: number;
  /** Candidates drawn from l(x) per parameter. */
  nEiCandidates: number;
  /** Size of the "below" (good) group given n usable trials. */
  gamma: (n: number) => number;
  /** Model the parameters of each condition group jointly (Optuna's multivariate=True, group=True) instead of one by one. */
  multivariate: boolean;
  /**
   * Pending (queued or running) trials: false leaves them out; true counts each as if it had ended
   * with the worst value observed so far (Optuna's constant_liar); a number counts each as if it had
   * ended with that objective value.
   */
  constantLiar: boolean | number;
  /** Extra candidates drawn around the good trials (l's observation kernels narrowed by localScale), ranked by the same l/g; 0 draws none (Optuna). */
  localCandidates: number;
  /** Width of the local candidates' kernels as a fraction of l's. */
  localScale: number;
  /** How the good trials weigh in l(x): 'uniform' (Optuna: alike) or 'rank' (the best most, linearly down to the last). */
  belowWeights: 'uniform' | 'rank';
  /** Random draws per start-up trial, the one farthest from the trials so far kept (1: plain random, as Optuna). */
  startupCandidates: number;
}

/** Optuna's default gamma: the best 10 %, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights: the newest 25 observations weigh 1, older ones ramp linearly from 1/n up to 1. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

export const TPE_DEFAULTS: TpeOptions = {
  // Not Optuna's 10: 5 random trials before the model lowered the median best of 50 trials on Branin
  // (0.622 -> 0.542) and Hartmann6 (-2.955 -> -2.976) over seeds 10-69, sequential, and left the
  // 4-worker studies as good (0.593 -> 0.584, -2.842 -> -2.839); with a small budget
  // (24 trials, 4 workers) 10 finished random trials would be more than half of it.
  nStartupTrials: 5,
  // Optuna's 24: 64 (23/28 cells, 61 % of seeds 100-129; 25/28, 63 % on 130-189), 128 (23/28) and 256 (21/28, seeds 100-119)
  // did no better on held-out seeds (`pnpm bench tpe-tune`): more candidates pick points where g(x) is emptiest, not
  // nearer the best trials; Branin's median got worse (0.485 -> 0.540, 0.563, 0.644 over seeds 100-119).
  nEiCandidates: 24,
  // Optuna's 10 % (at most 25): 15 % (22/28) and 0.5 sqrt(n) (17/28) did worse held out.
  gamma: defaultGamma,
  weights: defaultWeights,
  considerPrior: true,
  // Optuna's 1: 0.5 (26/28, 59 %; seeds 130-189 26/28, 61 %) and 2 (24/28, 58 %) were within the noise.
  priorWeight: 1.0,
  considerMagicClip: true,
  considerEndpoints: false,
  // The true mixture density ('normalized') did worse held out: 11/28 cells, 48 % of seeds 100-119.
  kernelDensity: 'optuna31',
  // Not Optuna's defaults: multivariate with widths 0.3 n^(-1/(d+4)) sqrt(range * sd) beat Kiln's univariate
  // TPE on Branin and Hartmann6, sequential and with 4 parallel workers, over 40 seeds not used by
  // `pnpm bench tpe --with-optuna` (10-49); Optuna's 0.2 n^(-1/(d+4)) range did worse on Branin there.
  // Held out (seeds 100-129) 0.2 (18/28 cells), 0.4 (20/28) and 'spread' (16/28) did worse again.
  sigmaScale: 0.3,
  bandwidth: 'mixed',
  multivariate: true,
  // Held out (seeds 100-159) ignoring pending trials did no better with 4 workers (26/28 cells, 59 %,
  // against 27/28, 60 %). A milder lie (the finished trials' median) proposes exactly what the worst
  // value does: only the split into the best gamma(n) and the rest matters, and a median never ranks
  // in the best 10 %; only a lie better than that would change the proposals.
  constantLiar: true,
  // `pnpm bench tpe-tune` (seeds 100-129, 50 trials, sequential and 4 workers, Branin, Hartmann6,
  // Rosenbrock-4, Styblinski-Tang-4, Ackley-5, Levy-4 and a mixed ML-like space): these defaults'
  // medians were at least as good as Optuna 3.1's in 25 of 28 function x mode cells (60 % of seeds;
  // 26/28 and 62 % on seeds 130-189).
  // Every option below was measured against them and is off: none won across the functions.
  // Off: 64 local candidates at 0.25 of l's widths (18/28, 56 % of seeds 100-119), at 0.1 (17/28), at 0.5 (23/28).
  localCandidates: 0,
  localScale: 0.25,
  // Off: rank weights (23/28, 58 %; on seeds 130-189 28/28, 64 % against the defaults' 26/28, 62 %: a tie
  // over the 90 seeds); with 64 local candidates at 0.5, 18/28.
  belowWeights: 'uniform',
  // Off: the farthest of 8 random draws per start-up trial (19/28, 54 %), of 32 (13/28, 49 %).
  startupCandidates: 1,
};

/** A trial's rank key: finished trials first (by loss), then pruned ones, deeper steps before shallower. */
export interface Observation {
  params: Params;
  /** -Infinity for complete trials, -lastStep for pruned ones (1 when they reported nothing). */
  stepKey: number;
  loss: number;
  /** A pending trial entered as a liar: it shapes l and g but does not count towards n. */
  pending?: true;
}

/**
 * Complete and pruned trials as observations, in chronological order (failed trials carry no
 * information); pending ('running') trials join as liars unless `liar` is false.
 */
export function observations(history: readonly Trial[], direction: Direction, liar: boolean | number = false): Observation[] {
  const sign = lossSign(direction);
  const out: Observation[] = [];
  for (const t of history) {
    if (t.state === 'complete' && t.value !== undefined && !Number.isNaN(t.value)) {
      out.push({ params: t.params, stepKey: -Infinity, loss: sign * t.value });
    } else if (t.state === 'pruned') {
      // As Optuna 3.1: a pruned trial counts with its last intermediate value, ranked after every finished trial.
      const steps = intermediateSteps(t);
      const last = steps[steps.length - 1];
      if (last === undefined) out.push({ params: t.params, stepKey: 1, loss: 0 });
      else out.push({ params: t.params, stepKey: -last[0], loss: Number.isNaN(last[1]) ? Infinity : sign * last[1] });
    } else if (t.state === 'running' && liar !== false) {
      out.push({ params: t.params, stepKey: -Infinity, loss: typeof liar === 'number' ? sign * liar : Number.NaN, pending: true });
    }
  }
  // The default lie is the worst loss of a finished trial (+Infinity before any: ranked last either way).
  const worst = out.reduce((w, o) => (o.pending || o.stepKey !== -Infinity ? w : Math.max(w, o.loss)), -Infinity);
  return out.map((o) => (o.pending && Number.isNaN(o.loss) ? { ...o, loss: worst === -Infinity ? Infinity : worst } : o));
}

/** Splits observations into the best nBelow and the rest, each kept in chronological order. */
export function splitObservations(obs: readonly Observation[], nBelow: number): { below: Observation[]; above: Observation[] } {
  const ranked = obs.map((o, i) => ({ o, i })).sort((a, b) => a.o.stepKey - b.o.stepKey || a.o.loss - b.o.loss || a.i - b.i);
  const belowIdx = new Set(ranked.slice(0, nBelow).map((r) => r.i));
  return { below: obs.filter((_, i) => belowIdx.has(i)), above: obs.filter((_, i) => !belowIdx.has(i)) };
}

function internalValues(name: string, d: Distribution, obs: readonly Observation[]): number[] {
  const xs: number[] = [];
  for (const o of obs) {
    const x = toInternal(d, o.params[name]);
    if (x !== undefined) xs.push(x);
  }
  return xs;
}

/** One parameter by TPE: draw nEiCandidates from l(x), return the one maximising log l(x) - log g(x). */
export function sampleTpeParam(name: string, d: Distribution, below: readonly Observation[], above: readonly Observation[], rng: Rng, o: TpeOptions): Choice {
  const kept = below.filter((ob) => toInternal(d, ob.params[name]) !== undefined);
  const xs = internalValues(name, d, kept);
  const l = fitParzen(d, xs, belowOptions(o, kept));
  const g = fitParzen(d, internalValues(name, d, above), o);
  const candidates = sampleParzen(l, rng, o.nEiCandidates);
  if (o.localCandidates > 0 && xs.length > 0) candidates.push(...sampleParzen(narrowParzen(l, xs.length, o.localScale), rng, o.localCandidates));
  let best = NaN;
  let bestScore = -Infinity;
  for (const x of candidates) {
    const score = logPdfParzen(l, x, o.kernelDensity) - logPdfParzen(g, x, o.kernelDensity);
    if (Number.isNaN(best) || score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return fromInternal(d, best);
}

/** The observations in which every named parameter exists, as rows of internal values. */
function rowsOf(names: readonly string[], dists: readonly Distribution[], obs: readonly Observation[]): number[][] {
  const rows: number[][] = [];
  for (const ob of obs) {
    const row = names.map((n, j) => toInternal(must(dists[j], 'one distribution per name'), ob.params[n]));
    if (row.every((x): x is number => x !== undefined)) rows.push(row);
  }
  return rows;
}

/** A group of parameters by multivariate TPE: candidates drawn jointly from l, the best joint l/g kept. */
export function sampleTpeGroup(space: SearchSpace, names: readonly string[], below: readonly Observation[], above: readonly Observation[], rng: Rng, o: TpeOptions): Params {
  const dists = names.map((n) => must(space[n], 'groups hold parameters of the space'));
  const kept = below.filter((ob) => rowsOf(names, dists, [ob]).length === 1);
  const rows = rowsOf(names, dists, kept);
  const l = fitJoint(dists, rows, belowOptions(o, kept));
  const g = fitJoint(dists, rowsOf(names, dists, above), o);
  const candidates = sampleJoint(l, rng, o.nEiCandidates);
  if (o.localCandidates > 0 && rows.length > 0) candidates.push(...sampleJoint(narrowJoint(l, rows.length, o.localScale), rng, o.localCandidates));
  let best: number[] = [];
  let bestScore = -Infinity;
  for (const x of candidates) {
    const score = logPdfJoint(l, x, o.kernelDensity) - logPdfJoint(g, x, o.kernelDensity);
    if (best.length === 0 || score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return Object.fromEntries(names.map((n, j) => [n, fromInternal(must(dists[j], 'one distribution per name'), must(best[j], 'a candidate has every dimension'))]));
}

/** TPE sampler with TPE_DEFAULTS (Optuna 3.1's, but multivariate, liars and 5 start-up trials), overridable per option. */
export function tpeSampler(options: Partial<TpeOptions> = {}): Sampler {
  const o: TpeOptions = { ...TPE_DEFAULTS, ...options };
  return {
    name: 'tpe',
    validate: validateSpace,
    suggest(space: SearchSpace, history: readonly Trial[], rng: Rng, direction: Direction = 'minimize'): Params {
      assertValid(this, space);
      const obs = observations(history, direction, o.constantLiar);
      // As Optuna, n counts finished trials only: liars never end the random start-up early.
      const n = obs.reduce((k, ob) => k + (ob.pending ? 0 : 1), 0);
      if (n < o.nStartupTrials) return spreadStartup(space, history, rng, o.startupCandidates);
      const { below, above } = splitObservations(obs, o.gamma(n));
      const params: Params = {};
      for (const group of conditionGroups(space)) {
        const [first = ''] = group;
        // Every parameter of a group shares one condition, decided by parameters of earlier groups.
        if (!isActive(space, first, params)) continue;
        // A group of one has nothing to model jointly: the univariate kernels' neighbour widths fit it better.
        if (o.multivariate && group.length > 1) Object.assign(params, sampleTpeGroup(space, group, below, above, rng, o));
        else for (const name of group) params[name] = sampleTpeParam(name, must(space[name], 'groups hold parameters of the space'), below, above, rng, o);
      }
      return params;
    },
  };
}
