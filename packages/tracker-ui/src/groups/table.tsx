/** Grouped tables: a group's final values as mean ± std (n), on the compare page and the runs page. */
import type { RunGroup } from './group.ts';
import { groupStat, statText } from './stats.ts';

/** Compare page: one row per metric, one column per group. */
export function GroupMetricTable(props: { groups: RunGroup[]; keys: string[] }) {
  return (
    <table class="grid" id="group-metric-table">
      <thead>
        <tr>
          <th>metric</th>
          {props.groups.map((g) => (
            <th title={g.runs.map((r) => r.name).join(', ')}>
              {g.label} <span class="muted">(n={g.runs.length})</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.keys.map((key) => (
          <tr>
            <th>{key}</th>
            {props.groups.map((g) => (
              <td class="num">{statText(groupStat(g.runs, key))}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The runs page lists at most this many groups (largest first beyond it): a grouping that splits every run apart is not a summary. */
export const MAX_GROUP_ROWS = 200;

/** Runs page: one row per group with its size and each metric column's mean ± std. */
export function GroupRowsTable(props: { groups: RunGroup[]; keys: string[] }) {
  const rows = props.groups.length <= MAX_GROUP_ROWS ? props.groups : [...props.groups].sort((a, b) => b.runs.length - a.runs.length).slice(0, MAX_GROUP_ROWS);
  return (
    <>
      {rows.length < props.groups.length ? (
        <p class="muted" id="group-rows-cut">
          The {rows.length} largest of {props.groups.length} groups.
        </p>
      ) : null}
      <table class="grid" id="group-table">
        <thead>
          <tr>
            <th>group</th>
            <th class="num">n</th>
            {props.keys.map((k) => (
              <th class="num">{k}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr data-group={g.key}>
              <td title={g.runs.map((r) => r.name).join(', ')}>{g.label}</td>
              <td class="num">{g.runs.length}</td>
              {props.keys.map((k) => (
                <td class="num">{statText(groupStat(g.runs, k))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
