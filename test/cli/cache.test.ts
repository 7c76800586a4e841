import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln } from './run-cli.ts';

const STACK = /\n\s+at .+:\d+:\d+/;

describe('kiln cache (as a user runs it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cache-cli-'));
  const store = join(dir, 'runs', 'kiln.db');
  const cache = join(dir, 'runs', 'cache');
  writeFileSync(join(dir, 'd.csv'), 'x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 3 ? 'a' : 'b'}`).join('\n') + '\n');
  const pipeline = join(dir, 'p.yaml');
  writeFileSync(
    pipeline,
    'name: cache-cli\ndata:\n  source: { type: csv, path: d.csv }\n  features: [{ name: x, type: numeric }, { name: y, type: numeric }]\n  target: { name: label, type: binary }\nmodel:\n  layers: [{ type: dense, units: 1, activation: sigmoid }]\ntrain: { loss: binaryCrossentropy, optimizer: { name: adam }, epochs: 1, batchSize: 8 }\n',
  );

  it('keeps prepared data beside the store, lists it, and clears one entry or all', () => {
    const train = kiln(['train', pipeline, '--store', store, '--quiet']);
    expect(train.stderr).not.toMatch(STACK);
    expect(train.code).toBe(0);
    expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(existsSync(join(dir, '.kiln'))).toBe(false);

    const json = kiln(['cache', 'ls', '--store', store, '--json']);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as { dir: string; bytes: number; entries: { fingerprint: string; source: string; bytes: number; lastUsed: string }[] };
    expect(listed.dir).toBe(cache);
    const [entry] = listed.entries;
    expect(entry?.source).toBe(join(dir, 'd.csv'));
    expect(entry?.bytes).toBe(listed.bytes);
    expect(Date.now() - Date.parse(entry?.lastUsed ?? '')).toBeLessThan(120_000);

    const table = kiln(['cache', 'ls', '--store', store]);
    expect(table.stdout).toContain(entry?.fingerprint.slice(0, 12));
    expect(table.stdout).toMatch(/1 entry, [\d.]+ kB of 2\.0 GB/);

    const unknown = kiln(['cache', 'clear', 'ffff', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no cache entry has the fingerprint "ffff"/);
    expect(unknown.stderr).not.toMatch(STACK);

    // A second entry (a copy under another fingerprint), so clearing one leaves the other.
    const fp = entry?.fingerprint ?? '?';
    const other = 'f'.repeat(64);
    for (const ext of ['json', 'bin']) copyFileSync(join(cache, `${fp}.${ext}`), join(cache, `${other}.${ext}`));
    const one = kiln(['cache', 'clear', fp.slice(0, 8), '--store', store]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^removed 1 entry/);
    expect(readdirSync(cache).sort()).toEqual([`${other}.bin`, `${other}.json`]);

    const all = kiln(['cache', 'clear', '--all', '--store', store]);
    expect(all.stdout).toMatch(/^removed 1 entry/);
    expect(readdirSync(cache)).toEqual([]);
    expect(kiln(['cache', 'clear', '--store', store]).code).toBe(2);
  });

  it('uses KILN_CACHE_DIR when set', () => {
    const elsewhere = join(dir, 'elsewhere');
    const r = kiln(['cache', 'ls'], { env: { KILN_CACHE_DIR: elsewhere }, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${elsewhere}: 0 entries`);
  });
});
