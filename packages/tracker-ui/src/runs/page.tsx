/** The runs page: filter box, column picker, table, pagination and the compare form. */
import { Page } from '../layout/page.tsx';
import { availableColumns, defaultColumns, toColumn, type Column } from './columns.ts';
import { ColumnPicker } from './column-picker.tsx';
import { FilterBox, type FilterProblem } from './filter-box.tsx';
import type { HostedPage } from './load.ts';
import { RunsTable } from './table.tsx';
import { runsHref, type RunsState } from './state.ts';

function Pager(props: { state: RunsState; total: number }) {
  const { state, total } = props;
  const pages = Math.max(1, Math.ceil(total / state.limit));
  const first = total === 0 ? 0 : (state.page - 1) * state.limit + 1;
  const last = Math.min(total, state.page * state.limit);
  return (
    <nav class="pager" aria-label="pages">
      {state.page > 1 ? <a href={runsHref(state, { page: state.page - 1 })} rel="prev">← Prev</a> : <span class="muted">← Prev</span>}
      <span>
        {first}–{last} of {total} (page {state.page} of {pages})
      </span>
      {state.page < pages ? <a href={runsHref(state, { page: state.page + 1 })} rel="next">Next →</a> : <span class="muted">Next →</span>}
    </nav>
  );
}

/** The columns to show: the URL's choice when given (unknown names dropped), else the defaults. */
export function shownColumns(state: RunsState, page: HostedPage): { available: Column[]; shown: Column[] } {
  const available = availableColumns(page.runs);
  const chosen = state.cols.map(toColumn).filter((c): c is Column => c !== null);
  return { available, shown: chosen.length > 0 ? chosen : defaultColumns(page.runs, available) };
}

/** Renders the whole runs page. */
export function RunsPage(props: { state: RunsState; page: HostedPage; problem: FilterProblem | null }) {
  const { state, page, problem } = props;
  const { available, shown } = shownColumns(state, page);
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
      </div>
      <div class="table-scroll">
        <RunsTable rows={page.runs} columns={shown} state={state} />
      </div>
      {page.runs.length === 0 && problem === null ? <p class="empty">No runs match.</p> : null}
      <Pager state={state} total={page.total} />
    </Page>
  );
}
