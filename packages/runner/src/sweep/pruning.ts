// The spec's pruner section as a pruner from the registry; steps are 1-based epochs.
import type { PrunerName } from '@kiln/core/catalog';
import { pruners, type Pruner } from './pruners/index.ts';
import type { SweepPlan } from './plan.ts';

type Spec = SweepPlan['pruner'];

/** One builder per pruner of core's catalog (a missing one is a compile error). */
const BUILDERS: { [K in PrunerName]: (spec: Extract<Spec, { type: K }>, plan: SweepPlan) => Pruner } = {
  none: () => pruners.none(),
  median: (s) => pruners.median({ nStartupTrials: s.startupTrials ?? 5, nWarmupSteps: s.warmupEpochs ?? 0 }),
  asha: (s) => pruners.asha({ minResource: s.minResource ?? 1, reductionFactor: s.reductionFactor ?? 3 }),
  // The full trial length is known from the spec, so Hyperband needs no finished trial to size its brackets.
  hyperband: (s, plan) => pruners.hyperband({ minResource: s.minResource ?? 1, reductionFactor: s.reductionFactor ?? 3, maxResource: plan.epochs }),
};

/** The pruner a sweep's plan asks for. */
export function makePruner(plan: SweepPlan): Pruner {
  const spec = plan.pruner;
  const build = BUILDERS[spec.type] as (s: Spec, p: SweepPlan) => Pruner;
  return build(spec, plan);
}
