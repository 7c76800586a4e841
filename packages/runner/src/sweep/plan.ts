// A sweep's plan: everything a worker or a resumed coordinator needs, stored as the sweep's spec
// JSON so the store alone can continue it (the base YAML, its overrides, the space, the budget).
import { resolve } from 'node:path';
import { KilnFailure, kilnError, type KilnError } from '@kiln/core/errors';
import { hashConfig, loadPipelineFile, loadPipelineText, type PipelineSpec, type ResolvedPipeline, type SweepSpec } from '@kiln/core/spec';
import { goalFor, metricDirection, type Goal, type SamplerName as SweepMethod } from '@kiln/core/catalog';
import { gridPoints, samplers, type SearchSpace } from './samplers/index.ts';
import { cartesian } from './shorthand.ts';

export type { SamplerName as SweepMethod, Goal } from '@kiln/core/catalog';
export type PrunerSpec = SweepSpec['pruner'];

export interface SweepPlan {
  /** Absolute path of the pipeline file (relative data paths resolve from it). */
  file: string;
  /** The pipeline YAML as it was when the sweep started, so later edits do not change a resumed sweep. */
  yaml: string;
  /** `--set` overrides applied to every trial. */
  overrides: string[];
  name: string;
  experiment: string;
  method: SweepMethod;
  metric: string;
  goal: Goal;
  /** The search space for random, tpe and gp (empty for an explicit grid). */
  space: SearchSpace;
  /** Every point of a grid sweep, in order. */
  points?: Record<string, unknown>[];
  budget: { trials?: number; maxMinutes?: number };
  parallel: number;
  seed: number;
  pruner: PrunerSpec;
  /** The tpe method's options (multivariate, constantLiar); absent in plans stored before they existed. */
  tpe?: SweepSpec['tpe'];
  /** The gp method's options; absent in plans stored before it existed. */
  gp?: SweepSpec['gp'];
  /** Epochs of a full trial (Hyperband's maximum resource). */
  epochs: number;
}

/** Trials of a random, tpe or gp sweep that has neither a trial nor a time budget. */
export const DEFAULT_TRIALS = 20;

/** CLI overrides of the spec's budget and parallelism. */
export interface PlanOverrides {
  parallel?: number;
  trials?: number;
  maxMinutes?: number;
}

function applyOverrides(plan: SweepPlan, o: PlanOverrides): SweepPlan {
  const budget = { ...plan.budget };
  if (o.trials !== undefined) budget.trials = o.trials;
  if (o.maxMinutes !== undefined) budget.maxMinutes = o.maxMinutes;
  return { ...plan, budget, parallel: o.parallel ?? plan.parallel };
}

function fail(errors: KilnError[]): never {
  throw new KilnFailure(errors);
}

/** The plan of a file's `sweep:` section; throws KilnFailure when the file or its space is invalid. */
export function planFromFile(file: string, overrides: string[], o: PlanOverrides = {}): SweepPlan {
  const loaded = loadPipelineFile(file, { overrides });
  if (!loaded.ok) fail(loaded.errors);
  const { spec, yaml } = loaded.pipeline;
  const sweep = spec.sweep;
  if (!sweep) fail([kilnError('sweep/no-sweep', 'sweep', `${file} has no sweep: section`, 'add a sweep: section, or give grid values with --set path=a,b')]);
  const space = sweep.parameters as SearchSpace;
  const problems = samplers[sweep.method]().validate(space);
  if (problems.length > 0) fail(problems.map((e) => ({ ...e, path: e.path ? `sweep.parameters.${e.path}` : 'sweep.parameters', file })));
  const base = basePlan(file, yaml, overrides, spec);
  const plan: SweepPlan = { ...base, method: sweep.method, metric: sweep.metric, goal: sweep.goal, space, budget: { ...sweep.budget }, parallel: sweep.parallel, seed: sweep.seed ?? spec.seed, pruner: sweep.pruner, tpe: sweep.tpe, gp: sweep.gp };
  if (sweep.method === 'grid') {
    const points = gridPoints(space);
    if (!points.ok) fail(points.errors);
    plan.points = points.value;
  }
  return applyOverrides(plan, o);
}

function basePlan(file: string, yaml: string, overrides: string[], spec: PipelineSpec) {
  return { file: resolve(file), yaml, overrides, name: spec.name, experiment: spec.experiment ?? spec.name, epochs: spec.train.epochs };
}

/**
 * The plan of a `--set a=1,2` grid: every combination runs once. Each value is validated as a
 * single override before the first trial; metric, goal, parallel and pruner come from the file's
 * sweep: section when it has one.
 */
export function planFromGrid(file: string, grid: Record<string, unknown[]>, rest: string[], o: PlanOverrides = {}): SweepPlan {
  const loaded = loadPipelineFile(file, { overrides: rest });
  if (!loaded.ok) fail(loaded.errors);
  const errors: KilnError[] = [];
  for (const [path, values] of Object.entries(grid)) {
    for (const value of values) {
      const one = loadPipelineFile(file, { overrides: [...rest, toOverride(path, value)] });
      if (!one.ok) errors.push(...one.errors);
    }
  }
  if (errors.length > 0) fail(errors);
  const { spec, yaml } = loaded.pipeline;
  const sweep = spec.sweep;
  const points = cartesian(grid);
  const metric = sweep?.metric ?? 'val.loss';
  return applyOverrides(
    {
      ...basePlan(file, yaml, rest, spec),
      method: 'grid',
      metric,
      goal: sweep?.goal ?? goalFor(metricDirection(metric)),
      space: {},
      points,
      budget: {},
      parallel: sweep?.parallel ?? 1,
      seed: sweep?.seed ?? spec.seed,
      pruner: sweep?.pruner ?? { type: 'none' },
    },
    o,
  );
}

/** Reads a plan back from a sweep's stored spec, with CLI overrides for a resume. */
export function planFromStore(spec: unknown, o: PlanOverrides = {}): SweepPlan {
  const p = spec as Partial<SweepPlan> | null;
  if (p === null || typeof p !== 'object' || typeof p.yaml !== 'string' || typeof p.file !== 'string' || typeof p.method !== 'string') {
    fail([kilnError('sweep/bad-plan', '', 'this sweep was not created by `kiln sweep` (its stored spec has no plan)')]);
  }
  return applyOverrides(p as SweepPlan, o);
}

/** The trial budget: explicit, else the grid size, else DEFAULT_TRIALS unless only time is limited. */
export function trialBudget(plan: SweepPlan): number {
  if (plan.points) return Math.min(plan.points.length, plan.budget.trials ?? Infinity);
  if (plan.budget.trials !== undefined) return plan.budget.trials;
  return plan.budget.maxMinutes !== undefined ? Infinity : DEFAULT_TRIALS;
}

/** `path=value` with the value as JSON (which YAML reads back exactly). */
export function toOverride(path: string, value: unknown): string {
  return `${path}=${JSON.stringify(value)}`;
}

/** One trial's overrides: the sweep's base ones, then its parameters. */
export function trialOverrides(plan: SweepPlan, params: Record<string, unknown>): string[] {
  return [...plan.overrides, ...Object.entries(params).map(([path, v]) => toOverride(path, v))];
}

/** The pipeline a trial trains: base spec with the trial's parameters and without the sweep: section. */
export function trialPipeline(plan: SweepPlan, params: Record<string, unknown>): { ok: true; pipeline: ResolvedPipeline } | { ok: false; errors: KilnError[] } {
  const loaded = loadPipelineText(plan.file, plan.yaml, { overrides: trialOverrides(plan, params) });
  if (!loaded.ok) return loaded;
  const spec: PipelineSpec = { ...loaded.pipeline.spec };
  delete spec.sweep;
  return { ok: true, pipeline: { ...loaded.pipeline, spec, hash: hashConfig(spec) } };
}
