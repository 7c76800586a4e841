/** Band chart specs for grouped curves: one chart per metric key, one mean line and band per group. */
import type { BandsSpec } from '../util/chart.tsx';
import type { RunGroup } from './group.ts';
import type { Band } from './grouping.ts';

/** Group curves for each key that some member run logged (test.* are single values: tables only). */
export function bandSpecs(groups: RunGroup[], keys: string[], band: Band): BandsSpec[] {
  return keys
    .filter((k) => !k.startsWith('test.'))
    .map((key) => ({
      kind: 'bands' as const,
      title: key,
      key,
      band,
      // a group's colour is its place on the page, so it keeps it on every chart
      groups: groups.flatMap((g, color) => {
        const runs = g.runs.filter((r) => key in r.metrics).map((r) => r.id);
        return runs.length === 0 ? [] : [{ label: g.label, runs, color }];
      }),
    }))
    .filter((s) => s.groups.length > 0);
}
