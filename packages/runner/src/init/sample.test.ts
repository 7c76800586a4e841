import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ROWS, sampleFile } from './sample.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-init-sample-'));
const ROWS = 5000;
// Row i holds i in column n, so a sampled cell tells which row it came from.
const big = join(dir, 'big.csv');
writeFileSync(big, `n,label,note\n${Array.from({ length: ROWS }, (_, i) => `${i},${i % 7 === 0 ? 'rare' : 'common'},"a, ""quoted"" note ${i}"`).join('\n')}\n`);

describe('kiln init reads a file as a stream', () => {
  it('keeps every target cell and a seeded uniform sample of the rest, in file order', async () => {
    const s = await sampleFile('csv', big, 'label');
    expect(s.columns).toEqual(['n', 'label', 'note']);
    expect(s.rows).toBe(ROWS);
    expect(s.target).toHaveLength(ROWS);
    expect(s.target?.filter((v) => v === 'rare')).toHaveLength(Math.ceil(ROWS / 7));
    const rows = (s.sample.get('n') ?? []).map(Number);
    expect(rows).toHaveLength(SAMPLE_ROWS);
    expect(new Set(rows).size).toBe(SAMPLE_ROWS);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    // uniform over the file, not its first rows: each fifth of the file holds about a fifth of the sample
    for (let k = 0; k < 5; k++) expect(rows.filter((r) => r >= k * 1000 && r < (k + 1) * 1000).length).toBeGreaterThan(150);
    expect(s.sample.get('note')?.[0]).toBe(`a, "quoted" note ${rows[0] ?? -1}`);
    expect((await sampleFile('csv', big, 'label')).sample.get('n')).toEqual(s.sample.get('n'));
  });

  it('reads a small file whole, CRLF and BOM included, and says when the target is no column', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, '\ufeffx,y\r\n1,a\r\n,b\r\n3,"multi\r\nline"\r\n');
    const s = await sampleFile('csv', small, 'y');
    expect(s.rows).toBe(3);
    expect(s.target).toEqual(['a', 'b', 'multi\r\nline']);
    expect(s.sample.get('x')).toEqual(['1', null, '3']);
    expect((await sampleFile('csv', small, 'z')).target).toBeUndefined();
    // a wrong target is known from the header: the rows are not read
    const wrong = await sampleFile('csv', big, 'labl');
    expect([wrong.target, wrong.rows, wrong.columns]).toEqual([undefined, 0, ['n', 'label', 'note']]);
  });

  it('samples a JSONL file the same way', async () => {
    const jsonl = join(dir, 'big.jsonl');
    writeFileSync(jsonl, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ n: i, label: i % 2 ? 'odd' : 'even' })).join('\n'));
    const s = await sampleFile('jsonl', jsonl, 'label');
    expect(s.rows).toBe(3000);
    expect(s.target).toHaveLength(3000);
    const rows = (s.sample.get('n') ?? []).map(Number);
    expect(rows).toHaveLength(SAMPLE_ROWS);
    expect(rows.some((r) => r >= 2000)).toBe(true);
  });
});
