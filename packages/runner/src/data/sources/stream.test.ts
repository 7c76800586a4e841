import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellOf, rowsOf, type Table } from '../table.ts';
import { firstKilnError } from '../test-support.ts';
import { CsvParser } from './csv-parse.ts';
import { openSource } from './index.ts';
import { columnPlan } from './plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-stream-'));
const write = (name: string, text: string | Buffer) => {
  writeFileSync(join(dir, name), text);
  return name;
};
const NUMERIC_ALL = columnPlan({ source: {}, features: [], targets: [], textColumns: [] });
const load = async (type: 'csv' | 'jsonl', name: string, plan = NUMERIC_ALL): Promise<Table> => (await openSource({ type, path: name }, { baseDir: dir })).load({ plan });

/** Every record of `chunks` pushed one after the other, as text cells. */
function recordsOf(chunks: Buffer[]): { header: string[]; rows: (string | null)[][]; lines: number[] } {
  const out = { header: [] as string[], rows: [] as (string | null)[][], lines: [] as number[] };
  const p = new CsvParser({ path: 'p' }, { header: (h) => (out.header = h), row: (r, line) => (out.rows.push(Array.from({ length: r.count }, (_, k) => r.text(k))), out.lines.push(line)) });
  chunks.forEach((c) => p.push(c));
  p.end();
  return out;
}

describe('streaming CSV reader', () => {
  const TRICKY = '\uFEFFname,note,x\r\n"Smith, J","said ""hi""",1\r\n"multi\r\nline",,2\r\n\r\nplain,"",3';

  it('gives the same records whichever byte a chunk boundary falls on (inside quotes, between CR and LF, inside the BOM)', () => {
    const bytes = Buffer.from(TRICKY, 'utf8');
    const whole = recordsOf([bytes]);
    expect(whole.header).toEqual(['name', 'note', 'x']);
    expect(whole.rows).toEqual([
      ['Smith, J', 'said "hi"', '1'],
      ['multi\r\nline', null, '2'],
      ['plain', '', '3'],
    ]);
    expect(whole.lines).toEqual([2, 3, 6]);
    for (let a = 1; a < bytes.length; a++) {
      for (const b of [a + 1, a + 7]) {
        const parts = [bytes.subarray(0, a), bytes.subarray(a, Math.min(b, bytes.length)), bytes.subarray(Math.min(b, bytes.length))];
        expect(recordsOf(parts), `split at ${a}, ${b}`).toEqual(whole);
      }
    }
  });

  it('reads a real file with BOM, CRLF, quotes, embedded newlines and no final newline into typed columns', async () => {
    const t = await load('csv', write('tricky.csv', TRICKY));
    expect(t.columns).toEqual(['name', 'note', 'x']);
    expect(t.column('x')).toEqual({ kind: 'number', values: new Float64Array([1, 2, 3]) });
    expect(rowsOf(t).map((r) => r.name)).toEqual(['Smith, J', 'multi\r\nline', 'plain']);
    expect([...(t.lines ?? [])]).toEqual([2, 3, 6]);
  });

  it('refuses a ragged row, an unterminated quote and junk after a quote, located in the file', async () => {
    const ragged = await firstKilnError(async () => load('csv', write('ragged.csv', 'a,b\n1,2\n3\n4,5\n')));
    expect(ragged).toMatchObject({ code: 'data/csv-row-width', file: join(dir, 'ragged.csv'), line: 3, col: 1, message: 'line 3 has 1 fields, the header has 2' });
    const open = await firstKilnError(async () => load('csv', write('open.csv', 'a,b\n1,"2\n3,4\n')));
    expect(open).toMatchObject({ code: 'data/csv-syntax', line: 2, col: 3, message: 'unterminated quoted field starting on line 2' });
    const junk = await firstKilnError(async () => load('csv', write('junk.csv', 'a,b\n1,"2"x\n')));
    expect(junk).toMatchObject({ code: 'data/csv-syntax', line: 2 });
  });

  it('keeps the text of columns a category reads ("01234"), stores numbers with NaN for missing markers, and falls back to text', async () => {
    write('typed.csv', 'zip,price,code,label\n01234,1.50,7,a\n00042,NA,x,b\n10001, 2e3 ,8,a\n');
    const plan = columnPlan({ source: {}, features: [{ name: 'zip', type: 'category' }, { name: 'price', type: 'numeric' }], targets: [{ name: 'label', type: 'binary' }], textColumns: [] });
    const t = await load('csv', 'typed.csv', plan);
    expect(t.column('zip')).toEqual({ kind: 'string', values: ['01234', '00042', '10001'] });
    expect(t.column('price')).toEqual({ kind: 'number', values: new Float64Array([1.5, NaN, 2000]) });
    expect(cellOf(t, 1, 'price')).toBeNaN();
    expect(t.column('code')).toEqual({ kind: 'string', values: ['7', 'x', '8'] });
    expect(t.column('label')?.kind).toBe('string');
  });

  it('applies a feature’s own markers, also when a marker reads as a number', async () => {
    write('markers.csv', 'a,b\n-999,NA\n5,3\n');
    const plan = columnPlan({ source: {}, features: [{ name: 'a', type: 'numeric', missingValues: ['-999'] }, { name: 'b', type: 'numeric', missingValues: ['-1'] }], targets: [], textColumns: [] });
    const t = await load('csv', 'markers.csv', plan);
    expect(t.column('a')).toEqual({ kind: 'number', values: new Float64Array([NaN, 5]) });
    // "NA" is not a marker for b: it stays text, so the numeric feature reports it.
    expect(t.column('b')).toEqual({ kind: 'string', values: ['NA', '3'] });
  });

  it('streams a generated multi-megabyte file, in 1 MiB chunks and in 4,093-byte pieces that split quoted fields, CRLFs and UTF-8 characters', async () => {
    const n = 60_000;
    const note = (i: number) => (i % 3 === 0 ? `caf\u00e9, "n\u00b0${i}"\r\nline two \u20ac` : `plain ${i}`);
    const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const lines = Array.from({ length: n }, (_, i) => `${i},${(i * 0.25).toFixed(2)},${quote(note(i))},${i % 7 === 0 ? '' : i % 2}\r\n`);
    const text = `id,value,note,flag\r\n${lines.join('')}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * (1 << 20));
    const t = await load('csv', write('big.csv', text));
    expect(t.length).toBe(n);
    const ids = t.column('id');
    const values = t.column('value');
    const notes = t.column('note');
    const flags = t.column('flag');
    if (ids?.kind !== 'number' || values?.kind !== 'number' || notes?.kind !== 'string' || flags?.kind !== 'number') throw new Error(`unexpected kinds ${JSON.stringify([ids?.kind, values?.kind, notes?.kind, flags?.kind])}`);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      if (ids.values[i] !== i || values.values[i] !== i * 0.25 || notes.values[i] !== note(i)) bad++;
      if (i % 7 === 0 ? !Number.isNaN(flags.values[i]) : flags.values[i] !== i % 2) bad++;
    }
    expect(bad).toBe(0);
    // Every third note spans two lines: row i starts on line 2 + i + floor((i + 2) / 3).
    expect(t.lines?.[n - 1]).toBe(2 + (n - 1) + Math.floor((n - 1 + 2) / 3));

    // The same bytes in 4,093-byte pieces: thousands of boundaries, inside quotes, between CR and LF, inside a character.
    const bytes = Buffer.from(text, 'utf8');
    const pieces = Array.from({ length: Math.ceil(bytes.length / 4093) }, (_, k) => bytes.subarray(k * 4093, (k + 1) * 4093));
    const cuts = pieces.map((_, k) => (k + 1) * 4093).filter((c) => c < bytes.length);
    expect(cuts.some((c) => bytes[c - 1] === 13 && bytes[c] === 10)).toBe(true);
    const small = recordsOf(pieces);
    expect(small.rows.length).toBe(n);
    expect(small.rows.filter((r, i) => r[2] !== note(i) || r[0] !== String(i)).length).toBe(0);
  });

  it('refuses bytes that are not UTF-8 in a later chunk, with the line and column', async () => {
    const head = 'x,y\n' + 'a,b\n'.repeat(300_000);
    write('late-bad.csv', Buffer.concat([Buffer.from(head + '1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(await firstKilnError(async () => load('csv', 'late-bad.csv'))).toMatchObject({ code: 'data/not-utf8', line: 300_002, col: 6 });
  });
});

describe('streaming JSONL reader', () => {
  it('reads objects line by line (BOM, CRLF, blank lines, keys that come and go) into typed columns', async () => {
    const t = await load('jsonl', write('a.jsonl', '\uFEFF{"x": 1, "y": "a"}\r\n\r\n{"x": 2.5, "z": [1]}\r\n{"y": null, "x": null}'));
    expect(t.columns).toEqual(['x', 'y', 'z']);
    expect(t.column('x')).toEqual({ kind: 'number', values: new Float64Array([1, 2.5, NaN]) });
    expect(rowsOf(t)).toEqual([
      { x: 1, y: 'a', z: null },
      { x: 2.5, y: null, z: [1] },
      { x: null, y: null, z: null },
    ]);
    expect([...(t.lines ?? [])]).toEqual([1, 3, 4]);
  });

  it('locates a line that is not a JSON object', async () => {
    const e = await firstKilnError(async () => load('jsonl', write('bad.jsonl', '{"x": 1}\n\n[1, 2]\n')));
    expect(e).toMatchObject({ code: 'data/jsonl-syntax', file: join(dir, 'bad.jsonl'), line: 3, col: 1, message: 'line 3 is not a JSON object' });
  });
});
