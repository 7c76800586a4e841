/** The prepared-data cache as a set of entries: list them, remove some, and keep the folder under its size cap. */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One cached preparation: its fingerprint, what it was prepared from, its size on disk and when it was last used. */
export interface CacheEntry {
  fingerprint: string;
  source: string;
  bytes: number;
  lastUsed: Date;
}

/** Temp files older than this are left over from a crashed writer. */
const STALE_TMP_MS = 3600_000;

/** Every complete entry in dir, most recently used first; an absent folder has none. */
export async function listCache(dir: string): Promise<CacheEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const entries: CacheEntry[] = [];
  for (const name of names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n))) {
    const fingerprint = name.slice(0, -'.json'.length);
    try {
      const [meta, bin] = await Promise.all([stat(join(dir, name)), stat(join(dir, `${fingerprint}.bin`))]);
      const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as { source?: unknown };
      entries.push({ fingerprint, source: typeof parsed.source === 'string' ? parsed.source : '?', bytes: meta.size + bin.size, lastUsed: meta.mtime });
    } catch {
      // removed meanwhile, or half written: not an entry
    }
  }
  return entries.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime());
}

/** Removes one entry's files. */
export async function removeEntry(dir: string, fingerprint: string): Promise<void> {
  // The .json marks an entry complete: remove it first, so a reader never sees meta without data.
  await rm(join(dir, `${fingerprint}.json`), { force: true });
  await rm(join(dir, `${fingerprint}.bin`), { force: true });
}

/** Removes least recently used entries until the folder holds at most maxBytes (`keep` goes last), and stale temp files. */
export async function evictCache(dir: string, maxBytes: number, keep?: string): Promise<CacheEntry[]> {
  const entries = await listCache(dir);
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  const order = [...entries.filter((e) => e.fingerprint !== keep).reverse(), ...entries.filter((e) => e.fingerprint === keep)];
  const removed: CacheEntry[] = [];
  for (const e of order) {
    if (total <= maxBytes) break;
    await removeEntry(dir, e.fingerprint);
    total -= e.bytes;
    removed.push(e);
  }
  await removeStaleTemps(dir);
  return removed;
}

/** Temp files a crashed writer left behind (older than an hour, so a concurrent writer's are safe). */
async function removeStaleTemps(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.tmp'))) {
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (s && now - s.mtimeMs > STALE_TMP_MS) await rm(join(dir, name), { force: true });
  }
}

/** How `kiln cache ls` names what an entry was prepared from: the source file, or the builtin dataset. */
export function sourceLabel(source: { type: string; path?: string; name?: string }, baseDir: string): string {
  if (source.path !== undefined) return join(baseDir, source.path);
  return `${source.type}:${source.name ?? '?'}`;
}
