/** The runs table: checkbox, status, name, start, duration, host and the chosen columns, with sort links. */
import type { HostedRun } from './load.ts';
import { fmtDuration } from '../util/format.ts';
import { Timestamp } from '../util/time.tsx';
import { cellText, METRIC_COLUMN_NOTE, type Column } from './columns.ts';
import { nextSort, runsHref, sortDirection, type RunsState } from './state.ts';

const FIXED: [field: string, label: string][] = [
  ['status', 'Status'],
  // The filter language's `name` is the pipeline's name; this column shows (and sorts by) each run's own name.
  ['runName', 'Name'],
  ['startedAt', 'Started'],
  ['duration', 'Duration'],
  ['host', 'Host'],
];

function SortHeader(props: { state: RunsState; field: string; label: string; title?: string }) {
  const dir = sortDirection(props.state.sort, props.field);
  const arrow = dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : '';
  return (
    <th title={props.title ?? props.field} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
      <a href={runsHref(props.state, { sort: nextSort(props.state.sort, props.field), page: 1 })}>
        {props.label}
        {arrow}
      </a>
    </th>
  );
}

/** Renders the table; running rows carry data-live so the client refreshes them. */
export function RunsTable(props: { rows: HostedRun[]; columns: Column[]; state: RunsState }) {
  const { state } = props;
  return (
    <table class="grid" id="runs-table" data-columns={JSON.stringify(props.columns.map((c) => c.field))}>
      <thead>
        <tr>
          <th class="select">
            <span class="sr-only">Select</span>
          </th>
          {FIXED.map(([field, label]) => (
            <SortHeader state={state} field={field} label={label} />
          ))}
          {props.columns.map((col) => (
            <SortHeader state={state} field={col.field} label={col.kind === 'metric' ? `final ${col.key}` : col.key} title={col.kind === 'metric' ? `${col.field}: ${METRIC_COLUMN_NOTE}` : col.field} />
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr data-run={r.id} data-live={r.status === 'running' ? 'true' : undefined}>
            <td class="select">
              <input type="checkbox" name="runs" value={r.id} form="compare-form" checked={state.sel.includes(r.id)} aria-label={`select ${r.name}`} />
            </td>
            <td data-cell="status">
              <span class={`status status-${r.status}`}>{r.status}</span>
            </td>
            <td>
              <a href={`/runs/${encodeURIComponent(r.id)}`}>{r.name}</a>
              {r.tags['kiln.folds'] !== undefined ? <span class="muted"> ({r.tags['kiln.folds']}-fold)</span> : null}
              {r.experiment !== state.experiment ? <span class="muted"> {r.experiment}</span> : null}
            </td>
            <td>
              <Timestamp ms={r.startedAt} />
            </td>
            <td data-cell="duration" class="num">
              {fmtDuration(r.durationMs)}
            </td>
            <td data-cell="host">{r.host ?? ''}</td>
            {props.columns.map((col) => (
              <td data-cell={col.field} class={col.kind === 'tag' ? undefined : 'num'}>
                {cellText(r, col)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
