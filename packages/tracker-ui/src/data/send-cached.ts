/** Serving answers of the response cache (cache.ts): rendered once, sent with an ETag, 304 to a client that holds it. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import { matchesEtag, responseCache, withEtag, type Rendered } from './cache.ts';
import type { Store } from './store.ts';

/** A JSX element rendered to its HTML text, as c.html would send it. */
export function htmlText(el: string | Promise<string>): Promise<string> {
  return resolveCallback(el, HtmlEscapedCallbackPhase.Stringify, false, {});
}

/** Sends `r`: a 200 carries its ETag and is revalidated on every use (no-cache), so a poll costs a 304 when nothing changed. */
export function sendRendered(c: Context, r: Rendered, type: string): Response {
  if (r.status === 200) {
    c.header('ETag', r.etag);
    c.header('Cache-Control', 'private, no-cache');
    if (matchesEtag(c.req.header('if-none-match'), r.etag)) return c.body(null, 304);
  }
  c.header('Content-Type', type);
  return c.body(r.body, r.status as ContentfulStatusCode);
}

export const HTML = 'text/html; charset=UTF-8';
export const JSON_TYPE = 'application/json';

/** Answers from the store's response cache under `key` (the request's whole parsed state), computing on a miss. */
export async function cachedResponse(c: Context, store: Store, key: unknown[], type: string, compute: () => Promise<{ body: string; status: number }>): Promise<Response> {
  return sendRendered(c, await responseCache(store).get(JSON.stringify(key), async () => withEtag(await compute())), type);
}
