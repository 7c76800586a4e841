import type { PrunerName } from '@kiln/core/catalog';
import { hyperbandPruner, type HyperbandOptions } from './hyperband.ts';
import { medianPruner, percentilePruner, type PercentileOptions } from './percentile.ts';
import { nopPruner, type Pruner } from './pruner.ts';
import { successiveHalvingPruner, type SuccessiveHalvingOptions } from './successive-halving.ts';

/**
 * Pruner factories by name (asha is successive halving: Optuna's pruner is the asynchronous variant);
 * every pruner of core's catalog must have one, the others are for the library's own users.
 */
export const pruners = {
  none: () => nopPruner(),
  median: (options?: Partial<Omit<PercentileOptions, 'percentile'>>) => medianPruner(options),
  percentile: (options?: Partial<PercentileOptions>) => percentilePruner(options),
  successiveHalving: (options?: Partial<SuccessiveHalvingOptions>) => successiveHalvingPruner(options),
  asha: (options?: Partial<SuccessiveHalvingOptions>) => successiveHalvingPruner(options),
  hyperband: (options?: Partial<HyperbandOptions>) => hyperbandPruner(options),
} satisfies Record<PrunerName, (options?: never) => Pruner> & Record<string, (options?: never) => Pruner>;


export { bracketBudgets, bracketCount, bracketOf, HYPERBAND_DEFAULTS, hyperbandPruner, type HyperbandOptions } from './hyperband.ts';
export { MEDIAN_DEFAULTS, medianPruner, nanPercentile, percentilePruner, type PercentileOptions } from './percentile.ts';
export { nopPruner, type Pruner } from './pruner.ts';
export { estimateMinResource, promotable, rungValue, SUCCESSIVE_HALVING_DEFAULTS, successiveHalvingPruner, type SuccessiveHalvingOptions } from './successive-halving.ts';
