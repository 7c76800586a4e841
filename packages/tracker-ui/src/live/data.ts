/** The data behind GET /api/live: run statuses, points after a step, a sweep's trial states. */
import { HTTPException } from 'hono/http-exception';
import { getSweep, listRuns, listTrials, metricHistory, type Store, type Trial } from '../data/store.ts';
import { toWire } from '../history/routes.ts';

export const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Points a page asks for: the curve (run, key) and the last step it already drew. */
export interface Increment {
  run: string;
  key: string;
  after: number;
}

/** A new point a poll brings is drawn as it is; a page that fell far behind gets at most this many, downsampled. */
const MAX_NEW_POINTS = 2000;

export interface LiveRun {
  id: string;
  status: string;
  durationMs: number | null;
  startedAt: number;
  failureReason: string | null;
  /** Every metric key the run has logged: a page learns here that it needs a new chart. */
  keys: string[];
}

/** Status and metric keys of each run (unknown ids are left out; the page stops polling them). */
export async function liveRuns(store: Store, ids: string[]): Promise<LiveRun[]> {
  if (ids.length === 0) return [];
  // Ids are checked against RUN_ID by the route, so quoting them into the filter language is safe.
  const page = await listRuns(store, { filter: `id in (${ids.map((id) => `"${id}"`).join(', ')})`, limit: ids.length });
  return page.runs.map((r) => ({ id: r.id, status: r.status, durationMs: r.durationMs, startedAt: r.startedAt, failureReason: r.failureReason, keys: Object.keys(r.metrics).sort() }));
}

/** Each curve's points after the step the page has, in the history endpoint's wire form. */
export async function pointsAfter(store: Store, wanted: Increment[]) {
  return Promise.all(wanted.map(async (w) => toWire(w.run, await metricHistory(store, w.run, w.key, { fromStep: w.after + 1, points: MAX_NEW_POINTS }))));
}

/** A sweep's status and each trial's state and value, or a 404. */
export async function liveSweep(store: Store, id: string) {
  const sweep = await getSweep(store, id);
  if (sweep === null) throw new HTTPException(404, { message: `No sweep with id ${id}` });
  const trials = await listTrials(store, id);
  return { id, status: sweep.status, live: sweepIsLive(sweep.status, trials), sig: sweepSignature(sweep.status, trials) };
}

/** Whether a sweep page should keep polling: the sweep or one of its trials still runs. */
export function sweepIsLive(status: string, trials: Pick<Trial, 'state'>[]): boolean {
  return status === 'running' || trials.some((t) => t.state === 'running');
}

/** What the sweep page shows that changes while it runs; the page renders it and the poll compares. */
export function sweepSignature(status: string, trials: Pick<Trial, 'number' | 'state' | 'value' | 'runId'>[]): string {
  return JSON.stringify([status, trials.map((t) => [t.number, t.state, t.value, t.runId])]);
}
