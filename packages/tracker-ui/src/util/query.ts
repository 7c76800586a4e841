/** Reading URL query state: lists may come repeated (`?runs=a&runs=b`) or comma-joined (`?runs=a,b`). */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** All values of a list parameter, split on commas, trimmed, empties dropped, de-duplicated in order. */
export function listParam(c: Context, name: string): string[] {
  const raw = c.req.queries(name) ?? [];
  const out: string[] = [];
  for (const v of raw.flatMap((s) => s.split(','))) {
    const t = v.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** An integer parameter within [min, max], or the default; a malformed value is a 400. */
export function intParam(c: Context, name: string, def: number, min: number, max: number): number {
  const v = c.req.query(name);
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HTTPException(400, { message: `${name} must be an integer from ${min} to ${max}` });
  }
  return n;
}
