/** The runs page grouped: every run of the filtered set (up to a cap) in groups, one row each with n and mean ± std. */
import { filterNamesFolds, foldRuns, listRuns, type RunRow, type Store } from '../data/store.ts';
import { groupRuns, type RunGroup } from './group.ts';
import { groupParam, parseGrouping, type Grouping } from './grouping.ts';
import { GroupControls } from './controls.tsx';
import { GroupRowsTable } from './table.tsx';

/** Groups are computed over at most this many runs of the filtered set (newest first); the page says so when it cuts. */
export const MAX_GROUPED_RUNS = 2000;
/** The compare page's limit. */
const MAX_COMPARED = 20;

/** What the runs page's URL state holds for grouping. */
export interface RunsGroupState {
  filter: string;
  experiment: string;
  group?: string[];
  band?: string;
}

export interface RunGroups {
  grouping: Grouping;
  groups: RunGroup[];
  /** Runs in the filtered set; more than were grouped when over MAX_GROUPED_RUNS. */
  total: number;
  grouped: number;
  /** The grouped runs' ids (k-fold parents, not their folds), for the compare link. */
  runIds: string[];
}

/** Groups the whole filtered set (k-fold parents as their folds); null when the URL asks for no grouping. */
export async function loadRunGroups(store: Store, state: RunsGroupState): Promise<RunGroups | null> {
  const grouping = parseGrouping(state.group ?? [], state.band);
  if (grouping === null) return null;
  const page = await listRuns(store, {
    filter: state.filter,
    experiment: state.experiment === '' ? undefined : state.experiment,
    hideFolds: !filterNamesFolds(state.filter),
    limit: MAX_GROUPED_RUNS,
  });
  const parents = page.runs.filter((r) => r.tags['kiln.folds'] !== undefined);
  const folds = new Map(await Promise.all(parents.map(async (p): Promise<[string, RunRow[]]> => [p.id, await foldRuns(store, p.id)])));
  return { grouping, groups: groupRuns(page.runs, grouping, folds), total: page.total, grouped: page.runs.length, runIds: page.runs.map((r) => r.id) };
}

/** A link to the compare page with these runs and this grouping (its curves show each group's band), when it can take them. */
function CompareLink(props: { groups: RunGroups }) {
  const { groups } = props;
  if (groups.runIds.length < 2 || groups.runIds.length > MAX_COMPARED) return <p class="muted">Compare takes 2 to {MAX_COMPARED} runs: filter the runs to see the groups' curves.</p>;
  const q = new URLSearchParams({ runs: groups.runIds.join(','), group: groupParam(groups.grouping), band: groups.grouping.band });
  return (
    <p>
      <a id="compare-groups" href={`/compare?${q}`}>
        Compare the groups' curves
      </a>
    </p>
  );
}

/** The group-by form (keeping the page's other state) and, when grouping, the groups table. */
export function RunGroupsSection(props: { keep: [string, string][]; fields: string[]; groups: RunGroups | null; metricKeys: string[] }) {
  const { groups } = props;
  return (
    <section id="run-groups">
      <form method="get" action="/runs" class="controls" id="group-form">
        {props.keep
          .filter(([, v]) => v !== '')
          .map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
        <GroupControls grouping={groups?.grouping ?? null} fields={props.fields} />
        <button type="submit">Group</button>
      </form>
      {groups !== null ? (
        <>
          <h2>Groups ({groups.groups.length})</h2>
          <p class="muted">
            Each group's final values as mean ± standard deviation over its runs (n); a k-fold parent's group is its folds.
            {groups.grouped < groups.total ? ` Grouped the newest ${groups.grouped} of ${groups.total} runs.` : ''} Select runs below and compare them for grouped curves.
          </p>
          <div class="table-scroll">
            <GroupRowsTable groups={groups.groups} keys={props.metricKeys} />
          </div>
          <CompareLink groups={groups} />
        </>
      ) : null}
    </section>
  );
}
