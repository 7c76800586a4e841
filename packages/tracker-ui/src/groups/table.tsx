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

/** Runs page: one row per group with its size and each metric column's mean ± std. */
export function GroupRowsTable(props: { groups: RunGroup[]; keys: string[] }) {
  return (
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
        {props.groups.map((g) => (
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
  );
}
