/**
 * Where the prepared-data cache lives and how big it may grow. The cache sits beside the store it
 * serves (a libsql store file: the `cache` folder next to it, as `artifacts` is), so two projects never
 * share or evict each other's entries; a remote store (PostgreSQL, libsql://) uses the user's cache
 * folder. KILN_CACHE_DIR names a folder instead; KILN_CACHE_MAX caps its size (default 2 GB).
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveStoreUrl } from '@kiln/core/store';
import { fail } from './table.ts';

/** The default size cap: least recently used entries are removed past it. */
export const DEFAULT_CACHE_MAX = 2e9;

/** The cache folder for a store (the --store value, else $KILN_STORE, else the default store). */
export function cacheDirFor(store: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.KILN_CACHE_DIR) return resolve(cwd, env.KILN_CACHE_DIR);
  const url = resolveStoreUrl(store ?? env.KILN_STORE, cwd);
  if (url.startsWith('file:') && !url.includes(':memory:')) return join(dirname(fileURLToPath(url)), 'cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kiln', 'data');
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Bytes from a size such as 2GB, 500MB, 1.5GiB or 1000000; a located error otherwise. */
export function parseSize(text: string, what = 'KILN_CACHE_MAX'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? '?').toLowerCase()];
  if (!m || unit === undefined) fail('cache/bad-size', what, `cannot read the size ${JSON.stringify(text)}`, 'write a number of bytes with an optional unit: 2GB, 500MB, 1.5GiB, 0 (keep nothing)');
  return Math.round(Number(m[1]) * unit);
}

/** The cache's size cap in bytes: KILN_CACHE_MAX, or DEFAULT_CACHE_MAX. */
export function cacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  return env.KILN_CACHE_MAX ? parseSize(env.KILN_CACHE_MAX) : DEFAULT_CACHE_MAX;
}
