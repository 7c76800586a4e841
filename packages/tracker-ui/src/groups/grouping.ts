/**
 * Grouping runs (W&B's "group by"), read from the URL: `group` lists fields (`params.x`, `tags.y`),
 * `-params.seed` groups by every param except the ones named ("everything but the seed"), and
 * `folds` makes each k-fold parent's fold runs a group. `band` picks the curves' band: min-max or ±std.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { listParam } from '../util/query.ts';

export type Band = 'minmax' | 'std';

export interface Grouping {
  /** Fields whose values make a group (`params.x`, `tags.y`). */
  fields: string[];
  /** Params left out when grouping by every other param; non-empty means "every param but these". */
  except: string[];
  /** Each k-fold parent's folds form a group (always so when grouping by fields too). */
  folds: boolean;
  band: Band;
}

const FIELD = /^(params|tags)\..+$/;
export const BANDS: Band[] = ['minmax', 'std'];

/** The URL's `group` entries for a grouping (what the select and links write). */
export function groupParam(g: Grouping): string {
  return [...(g.folds ? ['folds'] : []), ...g.fields, ...g.except.map((f) => `-${f}`)].join(',');
}

/** Parses `group` and `band` from a request; null when not grouping; a malformed entry is a 400 saying what is accepted. */
export function readGrouping(c: Context): Grouping | null {
  return parseGrouping(listParam(c, 'group'), c.req.query('band'));
}

/** Parses `group` entries and a `band` (default minmax); null when there are no entries. */
export function parseGrouping(entries: string[], band: string | undefined): Grouping | null {
  const bandText = band === undefined || band === '' ? 'minmax' : band;
  if (!BANDS.includes(bandText as Band)) throw new HTTPException(400, { message: `band must be minmax or std, got ${bandText}` });
  if (entries.length === 0) return null;
  const g: Grouping = { fields: [], except: [], folds: false, band: bandText as Band };
  for (const e of entries) {
    if (e === 'folds') g.folds = true;
    else if (e.startsWith('-') && /^params\..+$/.test(e.slice(1))) g.except.push(e.slice(1));
    else if (FIELD.test(e)) g.fields.push(e);
    else throw new HTTPException(400, { message: `group: cannot group by ${e}; give params.<key>, tags.<key>, -params.<key> (every param but that one) or folds` });
  }
  if (g.fields.length > 0 && g.except.length > 0) throw new HTTPException(400, { message: 'group: give either fields (params.x) or every param but some (-params.seed), not both' });
  return g;
}
