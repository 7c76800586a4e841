/**
 * Which params are worth a column or a chart axis by default: those that vary across the runs shown, swept params
 * first, then tuning params by how many values they take; never free text (a description), ids, or data source paths
 * and runtime settings ahead of the params a user tunes. Shared by the runs table, compare and sweep pages.
 */
import type { ParamStat } from '../data/store.ts';

export type { ParamStat };

/** Text a user writes, not a setting: never a default column or axis. */
const FREE_TEXT_KEY = /(^|\.)(description|notes?|comments?|summary|title)$/;
/** Settings that vary for reasons other than tuning (where the data lives, threads, backend, seeds). */
const LOW_PRIORITY = /^(data\.source\.|runtime\.)|(^|\.)seed$/;

/** Where the data lives: a path or URL, which names the data set rather than tunes anything. */
const DATA_SOURCE = /^data\.source\./;

/** Free text, a path or an id: long strings, data source paths, or a distinct string per run (5 runs or more). */
export function isFreeText(p: ParamStat): boolean {
  if (p.numeric) return false;
  return FREE_TEXT_KEY.test(p.key) || DATA_SOURCE.test(p.key) || p.maxLength > 60 || (p.distinct >= 5 && p.distinct === p.runs);
}

/** True when the param takes more than one value over `total` runs (absent in some runs counts as a value). */
export function varies(p: ParamStat, total: number): boolean {
  return p.distinct > 1 || (p.runs > 0 && p.runs < total);
}

function tier(p: ParamStat, swept: Record<string, unknown>): number {
  if (p.key in swept) return 0;
  return LOW_PRIORITY.test(p.key) ? 2 : 1;
}

/** The varying, non-free-text params in default order: swept, then tuning params by distinct values (then by how many runs have them), then the rest. */
export function rankParams(stats: ParamStat[], total: number, swept: Record<string, unknown> = {}): ParamStat[] {
  return stats
    .filter((p) => varies(p, total) && !isFreeText(p))
    .sort((a, b) => tier(a, swept) - tier(b, swept) || Number(b.distinct > 1) - Number(a.distinct > 1) || b.distinct - a.distinct || b.runs - a.runs || a.key.localeCompare(b.key));
}

/** Whether a numeric param reads better on a log axis: swept in log space, or positive values spanning >= 2 decades. */
export function isLogScale(p: ParamStat, swept: Record<string, { log: boolean }> = {}): boolean {
  if (swept[p.key]?.log === true) return true;
  return p.numeric && p.min !== null && p.max !== null && p.min > 0 && p.max / p.min >= 100;
}

/** Statistics of one param over in-memory values (the compare and sweep pages hold their few runs already). */
export function statOf(key: string, values: unknown[]): ParamStat {
  const present = values.filter((v) => v !== undefined && v !== null);
  const texts = present.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const nums = present.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return {
    key,
    runs: present.length,
    distinct: new Set(texts).size,
    numeric: present.length > 0 && present.every((v) => typeof v === 'number' || typeof v === 'boolean'),
    maxLength: Math.max(0, ...texts.map((t) => t.length)),
    min: nums.length > 0 ? Math.min(...nums) : null,
    max: nums.length > 0 ? Math.max(...nums) : null,
  };
}
