/** The names a sweep section can use: search methods (samplers), pruners and goals, each once. */
import type { Direction } from './metrics.ts';

/** Search methods; the runner's sampler registry has one entry per name. Order is the schema enum's order. */
export const SAMPLERS = ['tpe', 'gp', 'grid', 'random'] as const;

export type SamplerName = (typeof SAMPLERS)[number];

/** Pruners a spec can pick; the description is the schema tag's. The runner builds one per key. */
export const PRUNER_TABLE = {
  none: { description: 'Never prune.' },
  median: { description: 'Prune a trial whose best value so far is worse than the median of earlier trials at the same epoch.' },
  asha: { description: 'Asynchronous successive halving: at each rung keep the top 1/reductionFactor.' },
  hyperband: { description: 'Several ASHA brackets with different minimum resources.' },
} as const satisfies Record<string, { description: string }>;

export type PrunerName = keyof typeof PRUNER_TABLE;

/** A sweep's goal: whether it minimizes or maximizes its metric. */
export const GOALS = ['minimize', 'maximize'] as const;

export type Goal = (typeof GOALS)[number];

/** The goal that optimizes a metric of the given direction. */
export function goalFor(direction: Direction): Goal {
  return direction === 'min' ? 'minimize' : 'maximize';
}
