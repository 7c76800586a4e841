/** GET /compare and GET /api/compare: 2-20 runs by id (`runs=a,b` or repeated `runs=`). */
import { Hono, type Context } from 'hono';
import type { UiContext } from '../context.ts';
import { listParam } from '../util/query.ts';
import { loadCompare } from './data.ts';
import { ComparePage, type CompareView } from './page.tsx';
import { readGrouping } from '../groups/grouping.ts';
import { loadCompareGroups } from '../groups/compare.tsx';

/**
 * Equal params are hidden unless `hideEqual=0`: a full config has dozens of them and the point is
 * the differences. The form sends `hideEqual=0` always and adds `hideEqual=1` when the box is checked.
 */
function hideEqual(values: string[] | undefined): boolean {
  return values === undefined || values.includes('1');
}

function view(c: Context): CompareView {
  const smooth = Number(c.req.query('smooth') ?? '0');
  return { smooth: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0, log: c.req.query('log') === '1', hideEqual: hideEqual(c.req.queries('hideEqual')), grouping: readGrouping(c) };
}

/** Compare routes. */
export function compareRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  const load = (c: Context) => {
    const [metric, x, baseline] = [c.req.query('metric'), c.req.query('x'), c.req.query('baseline')];
    return loadCompare(ctx.store, listParam(c, 'runs'), { axes: listParam(c, 'axes'), ...(metric === undefined ? {} : { metric }), ...(x === undefined ? {} : { x }), ...(baseline === undefined ? {} : { baseline }) });
  };
  app.get('/compare', async (c) => {
    const [model, v] = [await load(c), view(c)];
    const groups = v.grouping === null ? undefined : await loadCompareGroups(ctx.store, model.runs, v.grouping);
    return c.html(<ComparePage model={model} view={v} groups={groups} />);
  });
  app.get('/api/compare', async (c) => c.json(await load(c)));
  return app;
}
