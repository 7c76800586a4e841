/** Runs one page of listRuns for the URL state, turning a bad filter or sort into a located problem. */
import { COUNT_BOUND, KilnFailure, checkSortKey, countRuns, filterNamesFolds, listRuns, runHosts, type RunPage, type RunRow, type RunSetStats, type Store } from '../data/store.ts';
import type { FilterProblem } from './filter-box.tsx';
import type { RunsState } from './state.ts';
import { cachedRunSetStats } from './set-cache.ts';

/** A listed run with the host it trained on (null when not recorded). */
export type HostedRun = RunRow & { host: string | null };

export interface HostedPage {
  /** The matching runs; at least this many when `exact` is false (COUNT_BOUND). */
  total: number;
  exact: boolean;
  runs: HostedRun[];
}

/**
 * Pages within the first COUNT_BOUND (1,000) matches show "1,000+" when more match, and the page fills the exact
 * total in after it is shown (GET /api/runs/count): at 100,000 runs the exact count costs ~110 ms, the page ~20.
 */
export { COUNT_BOUND };

export interface LoadedRuns {
  page: HostedPage;
  problem: FilterProblem | null;
  /** Statistics of the whole filtered set (every page), for the default columns; null with a problem. */
  stats: RunSetStats | null;
}

/** The listRuns options of the state, without paging. */
export function queryOf(state: RunsState) {
  return {
    filter: state.filter,
    sort: state.sort === '' ? undefined : state.sort,
    experiment: state.experiment === '' ? undefined : state.experiment,
    // k-fold runs are listed through their parent (its page links each fold), as kiln runs does
    hideFolds: !filterNamesFolds(state.filter),
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
  return { total: page.total, exact: page.exact, runs: page.runs.map((r) => ({ ...r, host: hosts.get(r.id) ?? null })) };
}

const EMPTY: HostedPage = { total: 0, exact: true, runs: [] };

/** Runs `fn`; a store/filter failure becomes a problem of `field`, anything else is rethrown. */
async function located<T>(fn: () => Promise<T>, field: FilterProblem['field']): Promise<T | FilterProblem> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KilnFailure && err.errors[0]?.code === 'store/filter') return problemOf(err, field);
    throw err;
  }
}

const isProblem = (x: unknown): x is FilterProblem => typeof x === 'object' && x !== null && 'field' in x && 'message' in x;

/** Loads the page and the set's statistics; on a filter or sort error returns an empty page and the problem. */
export async function loadRuns(store: Store, state: RunsState, opts: { stats?: boolean } = {}): Promise<LoadedRuns> {
  const q = queryOf(state);
  // The sort is checked on its own first: a sort key no run has would otherwise leave the order silently unchanged.
  if (q.sort !== undefined) {
    const bad = await located(() => checkSortKey(store, q.sort ?? ''), 'sort');
    if (isProblem(bad)) return { page: EMPTY, problem: bad, stats: null };
  }
  const page = await located(() => listRuns(store, { ...q, limit: state.limit, offset: (state.page - 1) * state.limit, countBound: COUNT_BOUND }), 'filter');
  if (isProblem(page)) return { page: EMPTY, problem: page, stats: null };
  const [hosted, stats] = await Promise.all([withHosts(store, page), opts.stats === false ? null : cachedRunSetStats(store, q)]);
  return { page: hosted, problem: null, stats };
}

/** The exact number of runs the state's query matches, or the filter's problem. */
export async function countState(store: Store, state: RunsState): Promise<number | FilterProblem> {
  const q = queryOf(state);
  return located(() => countRuns(store, { filter: q.filter, experiment: q.experiment, hideFolds: q.hideFolds }), 'filter');
}
