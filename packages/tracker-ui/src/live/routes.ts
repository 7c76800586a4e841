/**
 * GET /api/live: what a page showing live runs polls (every 3 s, like the runs table). One request
 * answers the runs' statuses and metric keys, only the points logged after the step each curve
 * already has (so a long run does not resend its history), and a sweep's trial states.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UiContext } from '../context.ts';
import { listParam } from '../util/query.ts';
import { liveSweep, liveRuns, pointsAfter, RUN_ID, type Increment } from './data.ts';

/** At most this many runs and curves per poll (a compare page: 20 runs x a few keys). */
const MAX_RUNS = 20;
const MAX_SERIES = 100;

/** The `run`, `key`, `after` triples: `after` is the last step the page has (-1 or absent: none yet). */
function increments(c: Context): Increment[] {
  const runs = c.req.queries('run') ?? [];
  const keys = c.req.queries('key') ?? [];
  const after = c.req.queries('after') ?? [];
  if (runs.length !== keys.length || (after.length > 0 && after.length !== runs.length)) {
    throw new HTTPException(400, { message: 'give run, key and after together: ?run=A&key=K&after=N' });
  }
  if (runs.length > MAX_SERIES) throw new HTTPException(400, { message: `at most ${MAX_SERIES} curves per request` });
  return runs.map((run, i) => {
    const a = after[i] ?? '-1';
    const n = Number(a);
    if (!Number.isInteger(n) || n < -1) throw new HTTPException(400, { message: `after must be a step (a whole number >= -1), got ${a}` });
    if (!RUN_ID.test(run)) throw new HTTPException(400, { message: `Not a run id: ${run}` });
    return { run, key: keys[i] ?? '', after: n };
  });
}

/** Live routes. */
export function liveRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/api/live', async (c) => {
    const ids = listParam(c, 'runs');
    if (ids.length > MAX_RUNS) throw new HTTPException(400, { message: `at most ${MAX_RUNS} runs per request` });
    const bad = ids.find((id) => !RUN_ID.test(id));
    if (bad !== undefined) throw new HTTPException(400, { message: `Not a run id: ${bad}` });
    const wanted = increments(c);
    const sweepId = c.req.query('sweep');
    // Statuses first, points second: a point written before a run ended is in the same answer as its end.
    const runs = await liveRuns(ctx.store, ids);
    const sweep = sweepId === undefined || sweepId === '' ? null : await liveSweep(ctx.store, sweepId);
    const series = await pointsAfter(ctx.store, wanted);
    return c.json({ runs, series, ...(sweep === null ? {} : { sweep }) });
  });
  return app;
}
