/**
 * DNS-rebinding guard: a page on evil.example whose name re-resolves to 127.0.0.1 still sends
 * `Host: evil.example`, so only loopback names (and an explicitly chosen --host) are served.
 * The name checks are core's (`@kiln/core/hosts`), shared with `kiln serve`.
 */
import type { MiddlewareHandler } from 'hono';
import { isAllowedHost } from '@kiln/core/hosts';

export { hostName, isAllowedHost } from '@kiln/core/hosts';

/** Rejects requests whose Host is not allowed with 421 (misdirected request). */
export function hostCheck(extra: string[] = []): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('host') ?? new URL(c.req.url).host;
    if (!isAllowedHost(header, extra)) return c.text('Misdirected request: unexpected Host header', 421);
    await next();
  };
}
