/** GET /runs (the page) and GET /api/runs (the same data as JSON). */
import { Hono } from 'hono';
import type { UiContext } from '../context.ts';
import { loadRuns } from './load.ts';
import { readRunsState } from './state.ts';
import { RunsPage } from './page.tsx';

/** Runs listing routes; a bad filter is a 400 that still renders the page with the error in place. */
export function runsRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/runs', async (c) => {
    const state = readRunsState(c);
    const { page, problem } = await loadRuns(ctx.store, state);
    return c.html(<RunsPage state={state} page={page} problem={problem} />, problem === null ? 200 : 400);
  });
  app.get('/api/runs', async (c) => {
    const state = readRunsState(c);
    const { page, problem } = await loadRuns(ctx.store, state);
    if (problem !== null) return c.json({ error: { status: 400, ...problem } }, 400);
    return c.json({ total: page.total, page: state.page, limit: state.limit, runs: page.runs });
  });
  return app;
}
