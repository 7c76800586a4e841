/** Turns thrown errors into responses: JSON under /api/, an HTML page elsewhere. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { KilnFailure } from '../data/store.ts';
import { ErrorPage } from './error-page.tsx';

/** The status and message to show for an error; unexpected errors are a 500 without internals. */
export function describeError(err: Error): { status: 400 | 404 | 405 | 500 | number; message: string; detail?: unknown } {
  if (err instanceof HTTPException) return { status: err.status, message: err.message };
  if (err instanceof KilnFailure) return { status: 400, message: err.message, detail: err.errors };
  return { status: 500, message: 'Internal error' };
}

/** Renders the error for the requested kind of route. */
export function renderError(c: Context, err: Error) {
  const { status, message, detail } = describeError(err);
  if (status >= 500) console.error(err);
  const code = status as 400;
  if (new URL(c.req.url).pathname.startsWith('/api/')) {
    return c.json({ error: { status, message, ...(detail !== undefined ? { errors: detail } : {}) } }, code);
  }
  return c.html(<ErrorPage status={status} message={message} />, code);
}
