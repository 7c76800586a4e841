import { cacheDirFor, cacheMaxBytes } from '../../data/cache-dir.ts';
import { listCache, removeEntry, type CacheEntry } from '../../data/cache-entries.ts';
import { fmtTime } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

type CacheArgs = Args<'cache'>;
type Sub = (args: CacheArgs, dir: string) => Promise<number>;

/** Bytes as people read them (decimal units, as KILN_CACHE_MAX takes them). */
export function fmtBytes(n: number): string {
  const [value, unit] = n >= 1e9 ? [n / 1e9, 'GB'] : n >= 1e6 ? [n / 1e6, 'MB'] : n >= 1e3 ? [n / 1e3, 'kB'] : [n, 'B'];
  return `${unit === 'B' ? value : value.toFixed(1)} ${unit}`;
}

const asJson = (e: CacheEntry) => ({ ...e, lastUsed: e.lastUsed.toISOString() });

/** `kiln cache ls`: every entry, most recently used first, and the folder's total against its cap. */
async function ls(args: CacheArgs, dir: string): Promise<number> {
  const entries = await listCache(dir);
  const total = entries.reduce((s, e) => s + e.bytes, 0);
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify({ dir, bytes: total, maxBytes: cacheMaxBytes(), entries: entries.map(asJson) }, null, 2)}\n`);
    return EXIT.ok;
  }
  const rows = entries.map((e) => [e.fingerprint.slice(0, 12), e.source, fmtBytes(e.bytes), fmtTime(e.lastUsed.getTime())]);
  if (rows.length > 0) process.stdout.write(`${renderTable(['fingerprint', 'source', 'size', 'last used'], rows, 60)}\n`);
  process.stdout.write(`${dir}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${fmtBytes(total)} of ${fmtBytes(cacheMaxBytes())} (KILN_CACHE_MAX)\n`);
  return EXIT.ok;
}

/** `kiln cache clear --all | FINGERPRINT...`: removes entries (a fingerprint may be shortened to a unique prefix). */
async function clear(args: CacheArgs, dir: string): Promise<number> {
  const wanted = args.positionals.slice(1);
  if (args.options.all === (wanted.length > 0)) throw usageError('cli/missing-argument', '', 'kiln cache clear needs --all or fingerprints (not both)', 'kiln cache clear --all, or kiln cache clear 1a2b3c4d5e6f (from kiln cache ls)');
  const entries = await listCache(dir);
  const chosen = args.options.all ? entries : wanted.map((p) => pick(entries, p));
  for (const e of chosen) await removeEntry(dir, e.fingerprint);
  const bytes = chosen.reduce((s, e) => s + e.bytes, 0);
  process.stdout.write(`removed ${chosen.length} entr${chosen.length === 1 ? 'y' : 'ies'} (${fmtBytes(bytes)}) from ${dir}\n`);
  return EXIT.ok;
}

/** The one entry whose fingerprint starts with prefix; a usage error naming the choices otherwise. */
function pick(entries: CacheEntry[], prefix: string): CacheEntry {
  const hits = entries.filter((e) => e.fingerprint.startsWith(prefix.toLowerCase()));
  const [only, ...more] = hits;
  if (only && more.length === 0) return only;
  const listed = entries.slice(0, 5).map((e) => e.fingerprint.slice(0, 12)).join(', ');
  throw usageError('cli/bad-argument', '', hits.length === 0 ? `no cache entry has the fingerprint ${JSON.stringify(prefix)}` : `${hits.length} cache entries start with ${JSON.stringify(prefix)}`, hits.length === 0 ? (listed ? `entries: ${listed}${entries.length > 5 ? ', ...' : ''} (kiln cache ls)` : 'the cache is empty') : 'give more characters of the fingerprint');
}

const SUBCOMMANDS: Record<string, Sub> = { ls, clear };

/** `kiln cache ls|clear`: the prepared-data cache beside the store (or $KILN_CACHE_DIR). */
export async function run(args: CacheArgs): Promise<number> {
  const name = args.positionals[0] ?? '';
  const sub = SUBCOMMANDS[name];
  if (sub === undefined) throw usageError('cli/bad-argument', '', `kiln cache needs a subcommand: ${Object.keys(SUBCOMMANDS).join(' or ')}, got "${name}"`, 'kiln cache ls');
  return sub(args, cacheDirFor(args.options.store));
}
