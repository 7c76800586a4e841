/** GET /runs/:id (the page) and GET /api/runs/:id (the run as JSON). */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UiContext } from '../context.ts';
import { getRun } from '../data/store.ts';
import { readConfusion, type Confusion } from './confusion.ts';
import { RunPage } from './page.tsx';
import type { RunDetail } from './types.ts';

async function mustGetRun(ctx: UiContext, id: string): Promise<RunDetail> {
  const run = await getRun(ctx.store, id);
  if (run === null) throw new HTTPException(404, { message: `No run with id ${id}` });
  return run;
}

/** Run detail routes; the page shows every readable confusion artifact (one per classification head), in recorded order. */
export function runRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/runs/:id', async (c) => {
    const run = await mustGetRun(ctx, c.req.param('id'));
    const arts = run.artifacts.filter((a) => a.kind === 'confusion');
    const read = await Promise.all(arts.map((a) => readConfusion(ctx.store, ctx.artifactsRoot, run.id, a.path)));
    return c.html(<RunPage run={run} confusions={read.filter((x): x is Confusion => x !== null)} />);
  });
  app.get('/api/runs/:id', async (c) => c.json({ run: await mustGetRun(ctx, c.req.param('id')) }));
  return app;
}
