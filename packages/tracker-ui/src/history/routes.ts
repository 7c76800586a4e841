/**
 * Metric histories, downsampled by the store to at most maxPoints (bucket min and max kept):
 * GET /api/runs/:id/history?key=K&maxPoints=N and the batch GET /api/history?run=A&key=K&run=B&key=K.
 */
import { must } from '@kiln/core/errors';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UiContext } from '../context.ts';
import { existingRuns, type History, type Store } from '../data/store.ts';
import { HistoryCache } from './cache.ts';
import { intParam } from '../util/query.ts';

/** At most this many series per batch request (20 runs x a few keys). */
const MAX_SERIES = 100;

function rangeOptions(c: Context) {
  const points = intParam(c, 'maxPoints', 1000, 2, 20_000);
  const from = c.req.query('fromStep');
  const to = c.req.query('toStep');
  return {
    points,
    ...(from !== undefined ? { fromStep: intParam(c, 'fromStep', 0, -1e15, 1e15) } : {}),
    ...(to !== undefined ? { toStep: intParam(c, 'toStep', 0, -1e15, 1e15) } : {}),
  };
}

/** 404s (a JSON error under /api/) naming the runs the store does not have: an unknown run has no history, not an empty one. */
async function mustExist(store: Store, runIds: string[]): Promise<void> {
  const found = await existingRuns(store, runIds);
  const missing = [...new Set(runIds.filter((id) => !found.has(id)))];
  if (missing.length > 0) throw new HTTPException(404, { message: `No run with id ${missing.join(', ')}` });
}

/**
 * Compact wire form: parallel step and value arrays, plus epochs and wall times (the charts' other x
 * axes) when every point has them (downsampled histories too: the store reads them for the kept extremes).
 */
export function toWire(runId: string, h: History) {
  const full = h.points.every((p) => p.epoch !== undefined && p.wallTime !== undefined);
  const more = full ? { epochs: h.points.map((p) => p.epoch ?? null), times: h.points.map((p) => p.wallTime ?? null) } : {};
  return { run: runId, key: h.key, downsampled: h.downsampled, steps: h.points.map((p) => p.step), values: h.points.map((p) => p.value), ...more };
}

/** History routes. */
export function historyRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  const cache = new HistoryCache(ctx.store);
  app.get('/api/runs/:id/history', async (c) => {
    const key = c.req.query('key');
    if (key === undefined || key === '') throw new HTTPException(400, { message: 'key is required' });
    const opts = rangeOptions(c);
    await mustExist(ctx.store, [c.req.param('id')]);
    const [h] = await cache.get([[c.req.param('id'), key]], opts);
    return c.json(toWire(c.req.param('id'), must(h, 'the cache answers every request')));
  });
  app.get('/api/history', async (c) => {
    const runs = c.req.queries('run') ?? [];
    const keys = c.req.queries('key') ?? [];
    if (runs.length === 0 || runs.length !== keys.length) throw new HTTPException(400, { message: 'give run and key in pairs: ?run=A&key=K' });
    if (runs.length > MAX_SERIES) throw new HTTPException(400, { message: `at most ${MAX_SERIES} series per request` });
    const opts = rangeOptions(c);
    await mustExist(ctx.store, runs);
    const pairs = runs.map((run, i): [string, string] => [run, must(keys[i], 'runs and keys have equal lengths, checked above')]);
    const histories = await cache.get(pairs, opts);
    const series = pairs.map(([run], i) => toWire(run, must(histories[i], 'the cache answers every request')));
    return c.json({ series });
  });
  return app;
}
