import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../sources/csv-parse.ts';
import { cellOf } from '../table.ts';
import { BUILTINS } from './index.ts';

// The PyTorch reference's prepared data lives outside the repository (shared bench kit).
// The reference kit lives in shared/, beside the repository (as in CI and every checkout here).
const REF = fileURLToPath(new URL('../../../../../../shared/bench/reference/data', import.meta.url));

describe('builtin datasets', () => {
  it('loads penguins (333 rows) and cars (392 rows) with the expected columns', async () => {
    const p = await (await BUILTINS.penguins()).load();
    expect(p.length).toBe(333);
    expect(p.columns).toContain('Sex');
    const c = await (await BUILTINS.cars()).load();
    expect(c.length).toBe(392);
    expect(cellOf(c, 0, 'Year')).toBe(1970);
  });

  it('hashes builtins by package version without reading the data', async () => {
    const a = await BUILTINS.penguins();
    const b = await BUILTINS.cars();
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toBe(b.hash);
  });
});

// A checkout without the kit skips the comparison; CI (which sets CI) has the kit, so there a missing
// kit is a failure, not a silently smaller suite.
describe.runIf(existsSync(REF) || process.env.CI !== undefined)('builtin datasets equal the PyTorch reference data', () => {
  it('finds the reference kit', () => {
    expect(existsSync(REF), `the PyTorch reference data is missing: ${REF}`).toBe(true);
  });

  const csvTable = (name: string) => parseCsv(readFileSync(join(REF, name), 'utf8'), name);

  for (const name of ['penguins', 'cars'] as const) {
    it(`${name}: every cell equals ${name}.csv`, async () => {
      const ref = csvTable(`${name}.csv`);
      const t = await (await BUILTINS[name]()).load();
      expect(t.columns).toEqual(ref.header);
      expect(t.length).toBe(ref.records.length);
      ref.records.forEach((rec, i) => {
        expect(ref.header.map((h) => String(cellOf(t, i, h)))).toEqual(rec);
      });
    });
  }

  it('mnist: every pixel is the reference byte / 255, labels equal', async () => {
    const img = gunzipSync(readFileSync(join(REF, 'mnist-images-idx3-ubyte.gz')));
    const lab = gunzipSync(readFileSync(join(REF, 'mnist-labels-idx1-ubyte.gz')));
    const n = img.readUInt32BE(4);
    const t = await (await BUILTINS.mnist()).load();
    expect(t.length).toBe(n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const image = cellOf(t, i, 'image') as Float32Array | undefined;
      if (cellOf(t, i, 'label') !== lab[8 + i] || image === undefined) bad++;
      for (let p = 0; p < 784; p++) if (image?.[p] !== Math.fround((img[16 + i * 784 + p] ?? Number.NaN) / 255)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('spam: every text and label equals spam.jsonl.gz', async () => {
    const ref = gunzipSync(readFileSync(join(REF, 'spam.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { text: string; label: number; group: string });
    const t = await (await BUILTINS.spam()).load();
    expect(t.length).toBe(ref.length);
    const mismatched = ref.filter((r, i) => cellOf(t, i, 'text') !== r.text || cellOf(t, i, 'label') !== r.label || cellOf(t, i, 'group') !== r.group).length;
    expect(mismatched).toBe(0);
  });
});
