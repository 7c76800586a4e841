/** GET /sweeps, /sweeps/:id and their JSON twins under /api/sweeps. */
import { Hono } from 'hono';
import type { UiContext } from '../context.ts';
import { listSweeps } from '../data/store.ts';
import { loadSweep } from './data.ts';
import { listParam } from '../util/query.ts';
import { SweepsPage } from './list-page.tsx';
import { SweepPage } from './page.tsx';

/** Sweep routes. */
export function sweepRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/sweeps', async (c) => c.html(<SweepsPage sweeps={await listSweeps(ctx.store)} />));
  app.get('/api/sweeps', async (c) => c.json({ sweeps: await listSweeps(ctx.store) }));
  app.get('/sweeps/:id', async (c) => c.html(<SweepPage model={await loadSweep(ctx.store, c.req.param('id'), listParam(c, 'axes'))} />));
  app.get('/api/sweeps/:id', async (c) => c.json(await loadSweep(ctx.store, c.req.param('id'), listParam(c, 'axes'))));
  return app;
}
