/** Assembles the read-only Hono app from the feature folders, behind the security middleware. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Store } from './data/store.ts';
import type { UiContext } from './context.ts';
import { hostCheck } from './security/host.ts';
import { readOnly, securityHeaders } from './security/headers.ts';
import { staticRoutes } from './static/routes.ts';
import { experimentRoutes } from './experiments/routes.tsx';
import { runsRoutes } from './runs/routes.tsx';
import { runRoutes } from './run/routes.tsx';
import { artifactRoutes } from './artifacts/routes.ts';
import { historyRoutes } from './history/routes.ts';
import { compareRoutes } from './compare/routes.tsx';
import { sweepRoutes } from './sweeps/routes.tsx';
import { modelRoutes } from './models/routes.tsx';
import { liveRoutes } from './live/routes.ts';
import { renderError } from './layout/errors.tsx';

export interface AppOptions {
  store: Store;
  /** Defaults to the store's artifacts folder. */
  artifactsRoot?: string;
  /** Host names accepted besides loopback (the explicit --host the server binds to). */
  allowedHosts?: string[];
}

/** Builds the UI app; serve it with serveUi or call app.request() in tests. */
export function createApp(opts: AppOptions): Hono {
  const ctx: UiContext = { store: opts.store, artifactsRoot: opts.artifactsRoot ?? opts.store.artifactsDir };
  const app = new Hono();
  // Headers first: they wrap every response, the host check's 421 and the read-only 405 included.
  app.use('*', securityHeaders());
  app.use('*', hostCheck(opts.allowedHosts ?? []));
  app.use('*', readOnly());
  for (const routes of [
    staticRoutes(),
    experimentRoutes(ctx),
    runsRoutes(ctx),
    runRoutes(ctx),
    artifactRoutes(ctx),
    historyRoutes(ctx),
    compareRoutes(ctx),
    sweepRoutes(ctx),
    modelRoutes(ctx),
    liveRoutes(ctx),
  ]) {
    app.route('/', routes);
  }
  app.notFound((c) => renderError(c, new HTTPException(404, { message: `Nothing at ${new URL(c.req.url).pathname}` })));
  app.onError((err, c) => renderError(c, err));
  return app;
}
