/** The runs page's URL state (filter, sort, page, columns, selection) and links that change one part of it. */
import type { Context } from 'hono';
import { intParam, listParam } from '../util/query.ts';

export interface RunsState {
  filter: string;
  /** A field, `-` prefixed for descending; '' means the store's default (newest first). */
  sort: string;
  page: number;
  limit: number;
  experiment: string;
  /** Chosen columns (`params.x`, `metrics.y`, `tags.z`); empty means the defaults. */
  cols: string[];
  /** Run ids selected for comparison. */
  sel: string[];
  /** Grouping (groups/grouping.ts): `params.x`, `tags.y`, `-params.seed` or `folds`; empty or absent: none. */
  group?: string[];
  /** The grouped curves' band: minmax or std ('' or absent: minmax). */
  band?: string;
}

export const MAX_LIMIT = 500;

/** Reads the state from the query string. */
export function readRunsState(c: Context): RunsState {
  return {
    filter: c.req.query('filter') ?? '',
    sort: c.req.query('sort') ?? '',
    page: intParam(c, 'page', 1, 1, 1_000_000),
    limit: intParam(c, 'limit', 50, 1, MAX_LIMIT),
    experiment: c.req.query('experiment') ?? '',
    cols: listParam(c, 'cols'),
    sel: listParam(c, 'sel'),
    group: listParam(c, 'group'),
    band: c.req.query('band') ?? '',
  };
}

/** A /runs URL for `state` with `patch` applied; default values are left out to keep URLs short. */
export function runsHref(state: RunsState, patch: Partial<RunsState> = {}): string {
  const s = { ...state, ...patch };
  const q = new URLSearchParams();
  if (s.experiment !== '') q.set('experiment', s.experiment);
  if (s.filter !== '') q.set('filter', s.filter);
  if (s.sort !== '') q.set('sort', s.sort);
  if (s.cols.length > 0) q.set('cols', s.cols.join(','));
  if (s.sel.length > 0) q.set('sel', s.sel.join(','));
  if ((s.group ?? []).length > 0) q.set('group', (s.group ?? []).join(','));
  if ((s.band ?? '') !== '') q.set('band', s.band ?? '');
  if (s.limit !== 50) q.set('limit', String(s.limit));
  if (s.page !== 1) q.set('page', String(s.page));
  const qs = q.toString();
  return qs === '' ? '/runs' : `/runs?${qs}`;
}

/** The sort after clicking a column header: ascending first, then descending. */
export function nextSort(current: string, field: string): string {
  return current === field ? `-${field}` : field;
}

/** `asc`, `desc` or null: how the table is sorted by `field`. */
export function sortDirection(current: string, field: string): 'asc' | 'desc' | null {
  if (current === field) return 'asc';
  if (current === `-${field}`) return 'desc';
  return null;
}

/** The CSV download of the state's whole filtered, sorted set, with the shown columns (the defaults spelled out). */
export function csvHref(state: RunsState, shown: { field: string }[]): string {
  const href = runsHref({ ...state, sel: [], page: 1, limit: 50, cols: shown.map((c) => c.field) });
  return href.replace(/^\/runs/, '/runs.csv');
}
