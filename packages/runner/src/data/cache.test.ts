import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './cache.ts';
import { prepareData } from './prepare.ts';
import { pipelineWith } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-cache-'));
const cacheDir = join(dir, 'cache');
const csv = (extra: string) => 'x,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'}`).join('\n') + extra;
const DATA = 'source: { type: csv, path: d.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }';

describe('preprocessed-data cache', () => {
  it('serves the second prepare from disk with identical arrays; a spec or file change misses', async () => {
    writeFileSync(join(dir, 'd.csv'), csv('\n'));
    const spec = pipelineWith(DATA, 'binary', dir);
    const cold = await prepareData(spec, { baseDir: dir, cacheDir });
    const warm = await prepareData(spec, { baseDir: dir, cacheDir });
    expect([cold.cached, warm.cached]).toEqual([false, true]);
    expect(warm.fingerprint).toBe(cold.fingerprint);
    for (const s of ['train', 'val', 'test'] as const) {
      expect(warm[s].x).toEqual(cold[s].x);
      expect(warm[s].y).toEqual(cold[s].y);
      expect(warm[s].rows).toEqual(cold[s].rows);
    }
    expect(warm.state).toEqual(cold.state);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const minmax = pipelineWith(DATA.replace('type: numeric', 'type: numeric, normalize: minmax'), 'binary', dir);
    expect((await prepareData(minmax, { baseDir: dir, cacheDir })).cached).toBe(false);
    expect((await prepareData({ ...spec, seed: 7 }, { baseDir: dir, cacheDir })).cached).toBe(false);
    writeFileSync(join(dir, 'd.csv'), csv('\n40,a\n'));
    const changed = await prepareData(spec, { baseDir: dir, cacheDir });
    expect(changed.cached).toBe(false);
    expect(changed.train.n + changed.val.n + changed.test.n).toBe(41);
  });

  it('hashes specs by content, not key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });
});
