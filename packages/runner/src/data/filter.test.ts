import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KilnFailure } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare.ts';
import { pipelineWith } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-filter-'));
const lines = ['x,digit,label'];
for (let i = 0; i < 90; i++) lines.push(`${i},${i % 9},${i % 2 === 0 ? 'a' : 'b'}`);
writeFileSync(join(dir, 'd.csv'), lines.join('\n') + '\n');
const data = (filter: string) => `source: { type: csv, path: d.csv }
features:
  - { name: x, type: numeric }
target: { name: label, type: binary }
${filter}`;

describe('data.filter', () => {
  it('keeps only rows whose column value is listed (numbers compared as text), before the split', async () => {
    const p = await prepareData(pipelineWith(data('filter: { column: digit, in: [1, 3, "5"] }'), 'binary', dir), { baseDir: dir, cache: false });
    const rows = [...p.train.rows, ...p.val.rows, ...p.test.rows].sort((a, b) => a - b);
    expect(rows.length).toBe(30);
    expect(rows.every((r) => [1, 3, 5].includes(r % 9))).toBe(true);
  });

  it('names the filter column when it does not exist', async () => {
    const err = await prepareData(pipelineWith(data('filter: { column: nope, in: [1] }'), 'binary', dir), { baseDir: dir, cache: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnFailure);
    expect((err as KilnFailure).errors[0]).toMatchObject({ path: 'data.filter.column' });
  });
});
