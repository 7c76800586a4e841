/** GET /models, /models/:name and their JSON twins under /api/models. */
import { Hono } from 'hono';
import type { UiContext } from '../context.ts';
import { listModels } from '../data/store.ts';
import { loadModel } from './data.ts';
import { ModelsPage } from './list-page.tsx';
import { ModelPage } from './page.tsx';

/** Model registry routes. */
export function modelRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/models', async (c) => c.html(<ModelsPage models={await listModels(ctx.store)} />));
  app.get('/api/models', async (c) => c.json({ models: await listModels(ctx.store) }));
  app.get('/models/:name', async (c) => c.html(<ModelPage model={await loadModel(ctx.store, c.req.param('name'))} />));
  app.get('/api/models/:name', async (c) => c.json(await loadModel(ctx.store, c.req.param('name'))));
  return app;
}
