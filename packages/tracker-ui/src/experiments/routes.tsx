/** GET / (experiments page) and GET /api/experiments. */
import { Hono } from 'hono';
import type { UiContext } from '../context.ts';
import { experimentsWithBest } from '../data/store.ts';
import { ExperimentsPage } from './page.tsx';

/** Experiments routes; `?metric=` overrides each experiment's main metric. */
export function experimentRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/', async (c) => c.html(<ExperimentsPage rows={await experimentsWithBest(ctx.store, c.req.query('metric'))} />));
  app.get('/api/experiments', async (c) => c.json({ experiments: await experimentsWithBest(ctx.store, c.req.query('metric')) }));
  return app;
}
