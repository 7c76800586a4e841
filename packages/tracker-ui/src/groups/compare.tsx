/** The compare page grouped: the runs (k-fold parents as their folds) in groups, a mean ± std table and band curves. */
import { foldRuns, type RunRow, type Store } from '../data/store.ts';
import { Chart } from '../util/chart.tsx';
import { isSystemKey } from '../system/keys.ts';
import { withoutStdKeys } from '../util/mean-std.ts';
import { bandSpecs } from './charts.ts';
import { groupRuns, type RunGroup } from './group.ts';
import type { Grouping } from './grouping.ts';
import { GroupMetricTable } from './table.tsx';

/** Groups the compared runs; each k-fold parent's fold runs are read so they form its group. */
export async function loadCompareGroups(store: Store, runs: RunRow[], g: Grouping): Promise<RunGroup[]> {
  const parents = runs.filter((r) => r.tags['kiln.folds'] !== undefined);
  const folds = new Map(await Promise.all(parents.map(async (p): Promise<[string, RunRow[]]> => [p.id, await foldRuns(store, p.id)])));
  return groupRuns(runs, g, folds);
}

/** Metric keys any member logged, the model's before the system's, without a k-fold parent's `.std` keys. */
function memberKeys(groups: RunGroup[]): { model: string[]; system: string[] } {
  const keys = withoutStdKeys([...new Set(groups.flatMap((g) => g.runs.flatMap((r) => Object.keys(r.metrics))))].sort());
  return { model: keys.filter((k) => !isSystemKey(k)), system: keys.filter(isSystemKey) };
}

/** The grouped section: the table, then model curves and system curves with bands. */
export function GroupedCompare(props: { groups: RunGroup[]; grouping: Grouping }) {
  const { groups, grouping } = props;
  const keys = memberKeys(groups);
  const rank = (k: string) => (k.startsWith('val.') ? 0 : k.startsWith('test.') ? 1 : 2);
  const bandNote = grouping.band === 'std' ? 'mean ± one standard deviation' : 'mean, shaded from the minimum to the maximum';
  return (
    // live.js swaps it in again when a shown run ends, so the bands take its last points
    <section id="groups" data-live-swap="always">
      <h2>Groups ({groups.length})</h2>
      <p class="muted">Final values as mean ± standard deviation over each group's runs (n runs); a k-fold parent's group is its folds. Curves: {bandNote} over the group's runs at each step.</p>
      <div class="table-scroll">
        <GroupMetricTable groups={groups} keys={[...keys.model].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))} />
      </div>
      <h2>Group curves</h2>
      <div class="charts" id="group-curves">
        {bandSpecs(groups, keys.model, grouping.band).map((spec, i) => (
          <Chart id={`band-${i}`} spec={spec} />
        ))}
      </div>
      {keys.system.length > 0 ? (
        <>
          <h2>System, grouped</h2>
          <div class="charts">
            {bandSpecs(groups, keys.system, grouping.band).map((spec, i) => (
              <Chart id={`sys-band-${i}`} spec={spec} />
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The fields the group-by select offers on the compare page: params that differ between the runs, then tags. */
export function groupFields(params: { key: string; differs: boolean }[], runs: RunRow[]): string[] {
  const tags = [...new Set(runs.flatMap((r) => Object.keys(r.tags)))].filter((k) => !k.startsWith('kiln.')).sort();
  return [...params.filter((p) => p.differs).map((p) => `params.${p.key}`), ...tags.map((k) => `tags.${k}`)];
}
