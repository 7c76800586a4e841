/**
 * DNS-rebinding guard: a page on evil.example whose name re-resolves to 127.0.0.1 still sends
 * `Host: evil.example`, so only loopback names (and an explicitly chosen --host) are served.
 */
import type { MiddlewareHandler } from 'hono';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The host name of a Host header value, without the port, lower-cased (IPv6 keeps its brackets). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** True when `header` names loopback or one of `extra` (e.g. the --host the server was bound to). */
export function isAllowedHost(header: string | undefined, extra: string[] = []): boolean {
  if (header === undefined || header === '') return false;
  const name = hostName(header);
  const allowed = new Set([...LOOPBACK, ...extra.map((e) => hostName(e.includes(':') && !e.startsWith('[') ? `[${e}]` : e))]);
  return allowed.has(name);
}

/** Rejects requests whose Host is not allowed with 421 (misdirected request). */
export function hostCheck(extra: string[] = []): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('host') ?? new URL(c.req.url).host;
    if (!isAllowedHost(header, extra)) return c.text('Misdirected request: unexpected Host header', 421);
    await next();
  };
}
