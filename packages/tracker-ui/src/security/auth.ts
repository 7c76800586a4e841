/**
 * The UI behind a token (kiln ui off loopback): every request (pages, /api, artifacts, static files)
 * must present it, as a bearer token or basic auth; anything else is a 401 that asks the browser
 * for a login. The check itself is core's (`@kiln/core/credentials`), shared with `kiln serve`.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { authorized, CHALLENGES, type Credentials } from '@kiln/core/credentials';
import { securityHeaders } from './headers.ts';

/** Requires `credentials` on every request; with none (loopback without a token) lets everything through. */
export function requireToken(credentials: Credentials | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (credentials === undefined || authorized(c.req.header('authorization'), credentials)) {
      await next();
      return;
    }
    for (const challenge of CHALLENGES) c.header('WWW-Authenticate', challenge, { append: true });
    c.header('Cache-Control', 'no-store');
    return c.text('Unauthorized: this Kiln UI needs its token (Authorization: Bearer TOKEN, or the token as the password of a browser login)', 401);
  };
}

/** `app` behind the token: the security headers and the 401 wrap every route of it, static files included. */
export function behindToken(app: Hono, credentials: Credentials | undefined): Hono {
  if (credentials === undefined) return app;
  const outer = new Hono();
  outer.use('*', securityHeaders());
  outer.use('*', requireToken(credentials));
  outer.all('*', (c) => app.fetch(c.req.raw, c.env));
  return outer;
}
