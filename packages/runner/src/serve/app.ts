/**
 * The HTTP side of `kiln serve`: POST /predict, GET /health, GET /schema, as a Hono app. Every
 * response is JSON; every request is logged as one line (method, path, status, rows, time: never
 * the rows, a query string or a header). The Host check, the token and the body size limit come
 * before any route, so a refused request costs no parsing.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { authorized, CHALLENGES, type Credentials } from '@kiln/core/credentials';
import { KilnFailure } from '@kiln/core/errors';
import { isAllowedHost } from '@kiln/core/hosts';
import type { Batcher } from './batcher.ts';
import { locateRowErrors } from './locate.ts';
import type { ReloadState } from './reload.ts';
import type { RowError } from './request.ts';
import { pin, unpin, type Slot } from './slot.ts';

/** What the app needs from the server around it. */
export interface ServeContext {
  current: () => Slot;
  batcher: Batcher;
  reload: ReloadState;
  credentials: Credentials | undefined;
  /** Host names accepted besides loopback (the bound address's). */
  allowedHosts: string[];
  maxBodyBytes: number;
  startedAt: string;
  log: (line: string) => void;
}

type Env = { Variables: { rows: number | undefined } };

const jsonError = (c: Context, status: ContentfulStatusCode, message: string, errors?: RowError[]) => c.json({ error: { status, message, ...(errors && errors.length > 0 ? { errors } : {}) } }, status);

/** One log line per request, after it is answered. */
function requestLog(log: (line: string) => void): MiddlewareHandler<Env> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const rows = c.get('rows');
    log(`${new Date().toISOString()} ${c.req.method} ${c.req.path} ${c.res.status}${rows === undefined ? '' : ` ${rows} row(s)`} ${(performance.now() - start).toFixed(1)} ms`);
  };
}

/** The headers of a JSON API that no page should embed, cache or sniff. */
function apiHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  };
}

/** DNS rebinding: only loopback names and the bound address's are served (421 otherwise). */
function hostCheck(extra: string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!isAllowedHost(c.req.header('host') ?? new URL(c.req.url).host, extra)) return jsonError(c, 421, 'misdirected request: unexpected Host header');
    await next();
  };
}

/** Every route behind the token when there is one (off loopback there always is). */
function tokenCheck(credentials: Credentials | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (credentials === undefined || authorized(c.req.header('authorization'), credentials)) return next();
    for (const challenge of CHALLENGES) c.header('WWW-Authenticate', challenge, { append: true });
    return jsonError(c, 401, 'unauthorized: this kiln serve needs its token (Authorization: Bearer TOKEN)');
  };
}

/** POST /predict: check, queue into the batcher, answer with kiln predict's objects. */
async function predict(c: Context<Env>, ctx: ServeContext) {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (e) {
    return jsonError(c, 400, `the body is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const slot = ctx.current();
  // Pinned while checking too: a swap meanwhile must not free the model this request was checked for.
  pin(slot);
  try {
    const checked = slot.checker.check(body);
    if (!checked.ok) return jsonError(c, 400, checked.message, checked.errors);
    c.set('rows', checked.rows.length);
    try {
      const predictions = await ctx.batcher.predict(slot, checked.rows);
      return c.json({ model: modelOf(slot), predictions, ...(checked.warnings.length > 0 ? { warnings: checked.warnings } : {}) });
    } catch (e) {
      if (!(e instanceof KilnFailure)) throw e;
      const errors = locateRowErrors(slot.loaded.state, checked.rows);
      return jsonError(c, 400, errors.length > 0 ? `${new Set(errors.map((r) => r.row)).size} of ${checked.rows.length} row(s) cannot be read by the model's preprocessing` : (e.errors[0]?.message ?? 'the rows cannot be read'), errors);
    }
  } finally {
    unpin(slot);
  }
}

/** The served version, as /predict and /health name it. */
function modelOf(slot: Slot) {
  const { ref, runId, model } = slot.info;
  return { ref, runId, ...(model ? { name: model.name, version: model.version, alias: model.alias } : {}) };
}

/** The app of one served model. */
export function createServeApp(ctx: ServeContext): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', requestLog(ctx.log), apiHeaders(), hostCheck(ctx.allowedHosts), tokenCheck(ctx.credentials));
  const tooLarge = (c: Context) => jsonError(c, 413, `the body is larger than ${ctx.maxBodyBytes} bytes; send fewer rows per request (or raise --max-body-mb)`);
  app.post('/predict', bodyLimit({ maxSize: ctx.maxBodyBytes, onError: tooLarge }), (c) => predict(c, ctx));
  app.get('/health', (c) => {
    const slot = ctx.current();
    return c.json({ status: 'ok', model: { ...modelOf(slot), loadedAt: slot.info.loadedAt }, startedAt: ctx.startedAt, stats: ctx.batcher.stats, reload: ctx.reload });
  });
  app.get('/schema', (c) => c.json(ctx.current().checker.schema));
  const allow: Record<string, string> = { '/predict': 'POST', '/health': 'GET, HEAD', '/schema': 'GET, HEAD' };
  for (const [path, methods] of Object.entries(allow))
    app.all(path, (c) => {
      c.header('Allow', methods);
      return jsonError(c, 405, `${c.req.method} is not allowed on ${path}: use ${methods}`);
    });
  app.notFound((c) => jsonError(c, 404, `no route ${c.req.path}: kiln serve answers POST /predict, GET /health and GET /schema`));
  app.onError((e, c) => {
    ctx.log(`error: ${e instanceof Error ? e.message : String(e)}`);
    return jsonError(c, 500, 'the model failed on this request; see the server log');
  });
  return app;
}
