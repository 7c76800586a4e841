/** The runs page: filter box, column picker, table, pagination and the compare form. */
import { Page } from '../layout/page.tsx';
import { availableColumns, defaultColumns, toColumn, type Column } from './columns.ts';
import { ColumnPicker } from './column-picker.tsx';
import { FilterBox, type FilterProblem } from './filter-box.tsx';
import type { HostedPage } from './load.ts';
import { RunsTable } from './table.tsx';
import { RunGroupsSection, type RunGroups } from '../groups/runs.tsx';
import { csvHref, runsHref, type RunsState } from './state.ts';
import type { RunSetStats } from '../data/store.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** The exact total of the state's query (the pager's fill-in, runs-count.js): the filter and experiment, nothing else. */
export function countHref(state: RunsState): string {
  const q = new URLSearchParams();
  if (state.experiment !== '') q.set('experiment', state.experiment);
  if (state.filter !== '') q.set('filter', state.filter);
  const qs = q.toString();
  return qs === '' ? '/api/runs/count' : `/api/runs/count?${qs}`;
}

/**
 * Previous/next, the range shown and, once the total is known, the page count and a link to the last page. A
 * bounded total ("1,000+") leaves next and previous working without script; the script fills the rest in.
 */
function Pager(props: { state: RunsState; page: HostedPage }) {
  const { state } = props;
  const { total, exact } = props.page;
  const shown = props.page.runs.length;
  const pages = Math.max(1, Math.ceil(total / state.limit));
  const first = shown === 0 ? 0 : (state.page - 1) * state.limit + 1;
  const last = shown === 0 ? 0 : first + shown - 1;
  const prev = Math.min(state.page - 1, pages);
  // a bounded total means more runs than the bound, so at least one page after this one
  const hasNext = exact ? state.page < pages : true;
  const range = shown === 0 ? `0 of ${count(total)}` : `${count(first)}–${count(last)} of ${count(total)}${exact ? '' : '+'}`;
  return (
    <nav class="pager" aria-label="pages" data-count-url={exact ? undefined : countHref(state)} data-first={first} data-last={last} data-page={state.page} data-limit={state.limit}>
      {state.page > 1 ? <a href={runsHref(state, { page: prev })} rel="prev">← Prev</a> : <span class="muted">← Prev</span>}
      <span id="pager-range">
        {range}
        {exact ? ` (page ${state.page} of ${pages})` : ''}
      </span>
      {hasNext ? <a href={runsHref(state, { page: state.page + 1 })} rel="next">Next →</a> : <span class="muted">Next →</span>}
      {exact && state.page < pages ? <a href={runsHref(state, { page: pages })} id="pager-last">Last ({pages}) »</a> : null}
    </nav>
  );
}

/** What to say when the page lists no runs: none match, or the page is past the last one. */
function EmptyState(props: { state: RunsState; total: number }) {
  const { state, total } = props;
  if (total === 0) return <p class="empty">No runs match.</p>;
  const pages = Math.ceil(total / state.limit);
  return (
    <p class="empty" id="past-end">
      Page {state.page} is past the end: {total} runs fill {pages} page{pages === 1 ? '' : 's'} of {state.limit}.{' '}
      <a href={runsHref(state, { page: pages })}>Go to the last page</a>
    </p>
  );
}

/** The columns to show: the URL's choice when given (unknown names dropped), else the defaults for the whole filtered set. */
export function shownColumns(state: RunsState, stats: RunSetStats | null): { available: Column[]; shown: Column[] } {
  const available = stats === null ? [] : availableColumns(stats);
  const chosen = state.cols.map(toColumn).filter((c): c is Column => c !== null);
  return { available, shown: chosen.length > 0 || stats === null ? chosen : defaultColumns(stats) };
}

/** Renders the whole runs page. */
export function RunsPage(props: { state: RunsState; page: HostedPage; problem: FilterProblem | null; stats: RunSetStats | null; groups?: RunGroups | null }) {
  const { state, page, problem } = props;
  const { available, shown } = shownColumns(state, props.stats);
  const pageIds = new Set(page.runs.map((r) => r.id));
  const offPage = state.sel.filter((id) => !pageIds.has(id));
  return (
    <Page title={state.experiment === '' ? 'Runs' : `Runs · ${state.experiment}`} section="runs">
      <h1>Runs{state.experiment === '' ? '' : ` · ${state.experiment}`}</h1>
      <FilterBox state={state} problem={problem} />
      <div class="toolbar">
        <ColumnPicker state={state} available={available} shown={shown} />
        <form method="get" action="/compare" id="compare-form" class="compare-form">
          {offPage.map((id) => (
            <input type="hidden" name="runs" value={id} data-off-page="true" />
          ))}
          <button type="submit" id="compare-button" disabled={state.sel.length < 2 || state.sel.length > 20}>
            Compare selected (<span id="selected-count">{state.sel.length}</span>)
          </button>
        </form>
        {problem === null ? (
          <a class="download" id="download-csv" href={csvHref(state, shown)} download>
            Download CSV
          </a>
        ) : null}
      </div>
      <RunGroupsSection
        keep={[
          ['experiment', state.experiment],
          ['filter', state.filter],
          ['sort', state.sort],
          ['cols', state.cols.join(',')],
        ]}
        fields={available.filter((c) => c.kind !== 'metric').map((c) => c.field)}
        groups={props.groups ?? null}
        metricKeys={shown.filter((c) => c.kind === 'metric').map((c) => c.key)}
      />
      <div class="table-scroll">
        <RunsTable rows={page.runs} columns={shown} state={state} />
      </div>
      {page.runs.length === 0 && problem === null ? <EmptyState state={state} total={page.total} /> : null}
      <Pager state={state} page={page} />
    </Page>
  );
}
