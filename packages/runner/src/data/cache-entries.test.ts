import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDirFor, cacheMaxBytes, parseSize } from './cache-dir.ts';
import { listCache } from './cache-entries.ts';
import { readCache } from './cache.ts';
import { prepareData } from './prepare.ts';
import { firstKilnError, pipelineWith } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-cache-lru-'));
writeFileSync(join(dir, 'd.csv'), 'x,label\n' + Array.from({ length: 60 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
const DATA = 'source: { type: csv, path: d.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }';
const spec = (seed: number) => ({ ...pipelineWith(DATA, 'binary', dir), seed });
const saved = process.env.KILN_CACHE_MAX;
afterEach(() => {
  if (saved === undefined) delete process.env.KILN_CACHE_MAX;
  else process.env.KILN_CACHE_MAX = saved;
});

/** Marks an entry as last used `ago` seconds back, so the test does not depend on the clock's resolution. */
const age = (cacheDir: string, fp: string, ago: number) => utimesSync(join(cacheDir, `${fp}.json`), new Date(Date.now() - ago * 1000), new Date(Date.now() - ago * 1000));

describe('cache size cap and least-recently-used eviction', () => {
  it('keeps the folder under KILN_CACHE_MAX, dropping the entry used longest ago; a read counts as a use', async () => {
    const cacheDir = join(dir, 'lru');
    const a = await prepareData(spec(1), { baseDir: dir, cacheDir });
    const [entry] = await listCache(cacheDir);
    expect(entry).toMatchObject({ fingerprint: a.fingerprint, source: join(dir, 'd.csv') });
    const size = entry?.bytes ?? Number.NaN;
    process.env.KILN_CACHE_MAX = String(Math.round(2.5 * size)); // room for two entries (their sizes differ by a few bytes), not three
    const b = await prepareData(spec(2), { baseDir: dir, cacheDir });
    age(cacheDir, a.fingerprint, 30);
    age(cacheDir, b.fingerprint, 20);
    // Reading a makes it the most recently used, so b goes when c arrives.
    expect(await readCache(cacheDir, a.fingerprint)).toBeDefined();
    const c = await prepareData(spec(3), { baseDir: dir, cacheDir });
    expect((await listCache(cacheDir)).map((e) => e.fingerprint).sort()).toEqual([a.fingerprint, c.fingerprint].sort());
    expect((await prepareData(spec(2), { baseDir: dir, cacheDir })).cached).toBe(false);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps nothing with a cap of 0', async () => {
    const cacheDir = join(dir, 'zero');
    process.env.KILN_CACHE_MAX = '0';
    await prepareData(spec(4), { baseDir: dir, cacheDir });
    expect(await listCache(cacheDir)).toEqual([]);
  });
});

describe('cache location and cap settings', () => {
  it('puts the cache beside a store file, in the user cache folder for a remote store, or in KILN_CACHE_DIR', () => {
    expect(cacheDirFor('/srv/runs/kiln.db', {}, '/w')).toBe('/srv/runs/cache');
    expect(cacheDirFor('runs/kiln.db', {}, '/w')).toBe('/w/runs/cache');
    expect(cacheDirFor(undefined, {}, '/w')).toBe('/w/.kiln/cache');
    expect(cacheDirFor(undefined, { KILN_STORE: 'file:/data/k.db' }, '/w')).toBe('/data/cache');
    expect(cacheDirFor('postgres://u@h:5432/kiln', {}, '/w')).toBe(join(homedir(), '.cache', 'kiln', 'data'));
    expect(cacheDirFor('postgres://u@h:5432/kiln', { XDG_CACHE_HOME: '/xdg' }, '/w')).toBe('/xdg/kiln/data');
    expect(cacheDirFor('/srv/runs/kiln.db', { KILN_CACHE_DIR: 'shared-cache' }, '/w')).toBe('/w/shared-cache');
  });

  it('reads sizes with units and refuses others with a hint', async () => {
    expect([parseSize('2GB'), parseSize('500 mb'), parseSize('1.5GiB'), parseSize('0'), parseSize('1000')]).toEqual([2e9, 5e8, 1.5 * 1024 ** 3, 0, 1000]);
    expect(cacheMaxBytes({})).toBe(2e9);
    expect(await firstKilnError(() => cacheMaxBytes({ KILN_CACHE_MAX: 'lots' }))).toMatchObject({ code: 'cache/bad-size', path: 'KILN_CACHE_MAX' });
  });
});
