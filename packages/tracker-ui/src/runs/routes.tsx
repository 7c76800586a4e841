/** GET /runs (the page), GET /api/runs (the same data as JSON), GET /api/runs/count (the exact total) and GET /runs.csv (the whole filtered table). */
import { Hono } from 'hono';
import type { UiContext } from '../context.ts';
import { countState, loadRuns } from './load.ts';
import { readRunsState } from './state.ts';
import { RunsPage, shownColumns } from './page.tsx';
import { loadRunGroups } from '../groups/runs.tsx';
import { runsCsv } from './csv.ts';
import { HTML, JSON_TYPE, cachedResponse, htmlText } from '../data/send-cached.ts';

/** Runs listing routes; a bad filter or sort is a 400 that still renders the page with the error in place. */
export function runsRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  // Both answers are a function of the parsed state and the store: kept until the store changes (data/cache.ts).
  app.get('/runs', async (c) => {
    const state = readRunsState(c);
    return cachedResponse(c, ctx.store, ['runs', state], HTML, async () => {
      const { page, problem, stats } = await loadRuns(ctx.store, state);
      const groups = problem === null ? await loadRunGroups(ctx.store, state) : null;
      const body = await htmlText(<RunsPage state={state} page={page} problem={problem} stats={stats} groups={groups} />);
      return { body, status: problem === null ? 200 : 400 };
    });
  });
  app.get('/api/runs', async (c) => {
    const state = readRunsState(c);
    return cachedResponse(c, ctx.store, ['api/runs', state], JSON_TYPE, async () => {
      const { page, problem } = await loadRuns(ctx.store, state, { stats: false });
      if (problem !== null) return { body: JSON.stringify({ error: { status: 400, ...problem } }), status: 400 };
      return { body: JSON.stringify({ total: page.total, totalExact: page.exact, page: state.page, limit: state.limit, runs: page.runs }), status: 200 };
    });
  });
  // The exact total of the same query, which /runs and /api/runs bound at COUNT_BOUND: the page fetches it after it is shown.
  app.get('/api/runs/count', async (c) => {
    const state = readRunsState(c);
    const key = { filter: state.filter, experiment: state.experiment };
    return cachedResponse(c, ctx.store, ['api/runs/count', key], JSON_TYPE, async () => {
      const total = await countState(ctx.store, state);
      if (typeof total !== 'number') return { body: JSON.stringify({ error: { status: 400, ...total } }), status: 400 };
      return { body: JSON.stringify({ total }), status: 200 };
    });
  });
  app.get('/runs.csv', async (c) => {
    const state = readRunsState(c);
    // The first page checks the filter and sort and gives the set's statistics for the default columns.
    const { problem, stats } = await loadRuns(ctx.store, { ...state, page: 1, limit: 1 });
    if (problem !== null) return c.json({ error: { status: 400, ...problem } }, 400);
    const csv = await runsCsv(ctx.store, state, shownColumns(state, stats).shown);
    const name = (state.experiment === '' ? 'runs' : `runs-${state.experiment}`).replace(/[^\w.-]/g, '_');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
    return c.body(csv);
  });
  return app;
}
