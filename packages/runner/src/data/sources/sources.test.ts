import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parse.ts';
import { openSource } from './index.ts';
import { firstKilnError } from '../test-support.ts';
import { rowsOf } from '../table.ts';

const errorOf = firstKilnError;

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, commas and newlines in quotes, CRLF, BOM and empty cells', () => {
    const text = '\uFEFFname,note,x\r\n"Smith, J","said ""hi""",1\r\n"multi\nline",,2\r\n\r\nplain,"",\n';
    const p = parseCsv(text, 'p');
    expect(p.header).toEqual(['name', 'note', 'x']);
    expect(p.records).toEqual([
      ['Smith, J', 'said "hi"', '1'],
      ['multi\nline', null, '2'],
      ['plain', '', null],
    ]);
    expect(p.lines).toEqual([2, 3, 6]);
  });

  it('reads a last line without a newline', () => {
    expect(parseCsv('a,b\n1,2', 'p').records).toEqual([['1', '2']]);
  });

  it('rejects ragged rows and unterminated quotes with the line number', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'p')).toThrow(/line 3 has 1 fields/);
    expect(() => parseCsv('a,b\n1,"2\n', 'p')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => parseCsv('a,b\n1,"2"x\n', 'p')).toThrow(/after a closing quote on line 2/);
  });
});

describe('file sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-src-'));
  writeFileSync(join(dir, 'a.csv'), 'x,y\n1,a\n2,b\n');
  writeFileSync(join(dir, 'a.jsonl'), '{"x": 1, "y": "a"}\n\n{"x": 2, "z": true}\n');
  writeFileSync(join(dir, 'a.json'), '[{"x": 1}, {"y": [1, 2]}]');
  writeFileSync(join(dir, 'bad.jsonl'), '{"x": 1}\n{"x": \n');
  writeFileSync(join(dir, 'bad.json'), '{"x": 1}');

  it('loads CSV rows as strings, with line numbers and a content hash', async () => {
    const s = await openSource({ type: 'csv', path: 'a.csv' }, { baseDir: dir });
    const t = await s.load();
    expect(rowsOf(t)).toEqual([{ x: '1', y: 'a' }, { x: '2', y: 'b' }]);
    expect([...(t.lines ?? [])]).toEqual([2, 3]);
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(dir, 'b.csv'), 'x,y\n1,a\n2,c\n');
    expect((await openSource({ type: 'csv', path: 'b.csv' }, { baseDir: dir })).hash).not.toBe(s.hash);
  });

  it('loads JSONL and JSON with the union of keys as columns', async () => {
    const l = await (await openSource({ type: 'jsonl', path: 'a.jsonl' }, { baseDir: dir })).load();
    expect(l.columns).toEqual(['x', 'y', 'z']);
    expect([...(l.lines ?? [])]).toEqual([1, 3]);
    const j = await (await openSource({ type: 'json', path: 'a.json' }, { baseDir: dir })).load();
    expect(rowsOf(j)[1]).toEqual({ x: null, y: [1, 2] });
    expect(j.columns).toEqual(['x', 'y']);
  });

  it('reports a missing file, bad JSONL and non-array JSON as KilnErrors', async () => {
    const missing = await errorOf(() => openSource({ type: 'csv', path: 'nope.csv' }, { baseDir: dir }));
    expect(missing.code).toBe('data/file-not-found');
    expect(missing.path).toBe('data.source.path');
    const badL = await errorOf(async () => (await openSource({ type: 'jsonl', path: 'bad.jsonl' }, { baseDir: dir })).load());
    expect(badL.message).toMatch(/line 2 is not valid JSON/);
    const badJ = await errorOf(async () => (await openSource({ type: 'json', path: 'bad.json' }, { baseDir: dir })).load());
    expect(badJ.code).toBe('data/json-shape');
  });
});

describe('bad bytes and repeated columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-src-bad-'));

  it('refuses a header that names a column twice, at the second occurrence', async () => {
    writeFileSync(join(dir, 'dup.csv'), 'x1,"x2",x1,y\n1,2,3,a\n');
    const e = await errorOf(async () => (await openSource({ type: 'csv', path: 'dup.csv' }, { baseDir: dir })).load());
    expect(e).toMatchObject({ code: 'data/csv-duplicate-column', path: 'data.source.path', file: join(dir, 'dup.csv'), line: 1, col: 9 });
    expect(e.message).toBe('the header names column "x1" twice (columns 1 and 3)');
    expect(() => parseCsv('a,b,c\n', 'p')).not.toThrow();
  });

  it('refuses bytes that are not UTF-8 in CSV, JSONL and JSON, naming offset, line and column', async () => {
    writeFileSync(join(dir, 'latin.csv'), Buffer.concat([Buffer.from('x,y\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const csv = await errorOf(async () => (await openSource({ type: 'csv', path: 'latin.csv' }, { baseDir: dir })).load());
    expect(csv).toMatchObject({ code: 'data/not-utf8', file: join(dir, 'latin.csv'), line: 2, col: 6, message: 'byte 0xe9 at offset 9 (line 2, column 6) is not UTF-8' });
    writeFileSync(join(dir, 'latin.jsonl'), Buffer.concat([Buffer.from('{"y": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    expect(await errorOf(async () => (await openSource({ type: 'jsonl', path: 'latin.jsonl' }, { baseDir: dir })).load())).toMatchObject({ code: 'data/not-utf8', line: 1, col: 11 });
    writeFileSync(join(dir, 'latin.json'), Buffer.concat([Buffer.from('[{"y": "'), Buffer.from([0xff]), Buffer.from('"}]')]));
    expect(await errorOf(async () => (await openSource({ type: 'json', path: 'latin.json' }, { baseDir: dir })).load())).toMatchObject({ code: 'data/not-utf8', line: 1, col: 9 });
  });
});
