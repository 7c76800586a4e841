/** Runs one page of listRuns for the URL state, turning a bad filter or sort into a located problem. */
import { KilnFailure, filterNamesFolds, listRuns, runHosts, type RunPage, type RunRow, type Store } from '../data/store.ts';
import type { FilterProblem } from './filter-box.tsx';
import type { RunsState } from './state.ts';

/** A listed run with the host it trained on (null when not recorded). */
export type HostedRun = RunRow & { host: string | null };

export interface HostedPage {
  total: number;
  runs: HostedRun[];
}

export interface LoadedRuns {
  page: HostedPage;
  problem: FilterProblem | null;
}

function optionsFor(state: RunsState) {
  return {
    filter: state.filter,
    sort: state.sort === '' ? undefined : state.sort,
    limit: state.limit,
    offset: (state.page - 1) * state.limit,
    experiment: state.experiment === '' ? undefined : state.experiment,
  };
}

function problemOf(err: KilnFailure, field: FilterProblem['field']): FilterProblem {
  const [e] = err.errors;
  if (e === undefined) return { message: err.message, field };
  const p: FilterProblem = { message: e.message, field };
  if (e.hint !== undefined) p.hint = e.hint;
  if (e.col !== undefined && field === 'filter') p.col = e.col;
  return p;
}

async function withHosts(store: Store, page: RunPage): Promise<HostedPage> {
  const hosts = await runHosts(store, page.runs.map((r) => r.id));
  return { total: page.total, runs: page.runs.map((r) => ({ ...r, host: hosts.get(r.id) ?? null })) };
}

/** Loads the page; on a filter/sort error returns an empty page and the problem. */
export async function loadRuns(store: Store, state: RunsState): Promise<LoadedRuns> {
  const opts = optionsFor(state);
  try {
    // k-fold runs are listed through their parent (its page links each fold), as kiln runs does
    return { page: await withHosts(store, await listRuns(store, { ...opts, hideFolds: !filterNamesFolds(opts.filter) })), problem: null };
  } catch (err) {
    if (!(err instanceof KilnFailure) || err.errors[0]?.code !== 'store/filter') throw err;
    if (opts.sort === undefined) return { page: { total: 0, runs: [] }, problem: problemOf(err, 'filter') };
    // Both the filter and the sort can fail with store/filter; try the filter alone to tell which.
    const withoutSort = await listRuns(store, { ...opts, sort: undefined, limit: 0 }).then(
      () => null,
      (e: unknown) => e,
    );
    if (withoutSort instanceof KilnFailure) return { page: { total: 0, runs: [] }, problem: problemOf(withoutSort, 'filter') };
    if (withoutSort !== null) throw withoutSort;
    return { page: { total: 0, runs: [] }, problem: problemOf(err, 'sort') };
  }
}
