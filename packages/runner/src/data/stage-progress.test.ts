import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareTable } from './prepare.ts';
import { StageProgress } from './stage-progress.ts';
import { tableFromRows } from './table.ts';
import { pipelineWith } from './test-support.ts';

/** A stream that records what is written, a terminal or not. */
const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) > 0 } };
};

describe('data preparation stage lines', () => {
  it('shows each step while it runs on a terminal, then clears it and sums the times by step', async () => {
    let now = 0;
    const { out, stream } = sink(true);
    const p = new StageProgress(stream, () => now, {});
    p.step('split', 'splitting 10 rows', () => (now += 300));
    p.step('encode', 'encoding the train split', () => (now += 500));
    p.step('encode', 'encoding the val split', () => (now += 200));
    await p.stepAsync('cache write', 'writing the cache', async () => (now += 100));
    p.done();
    expect(out.slice(0, 4)).toEqual(['\rpreparing data: splitting 10 rows\x1b[K', '\rpreparing data: encoding the train split\x1b[K', '\rpreparing data: encoding the val split\x1b[K', '\rpreparing data: writing the cache\x1b[K']);
    expect(out.slice(4)).toEqual(['\r\x1b[K', 'prepared data in 1.1 s (split 0.3 s, encode 0.7 s, cache write 0.1 s)\n']);
  });

  it('leaves no summary after quick steps, and writes nothing when piped or TERM is dumb', () => {
    let now = 0;
    const quick = sink(true);
    const p = new StageProgress(quick.stream, () => now, {});
    p.step('fit', 'fitting', () => (now += 50));
    p.done();
    expect(quick.out).toEqual(['\rpreparing data: fitting\x1b[K', '\r\x1b[K']);
    for (const [tty, env] of [[false, {}], [true, { TERM: 'dumb' }]] as const) {
      const { out, stream } = sink(tty);
      const silent = new StageProgress(stream, () => (now += 2000), env);
      expect(silent.step('split', 'splitting', () => 7)).toBe(7);
      silent.done();
      expect(out).toEqual([]);
    }
  });

  it('is what prepareTable reports: checks, split, fit and each split encoded', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ x: String(i), label: i % 2 ? 'a' : 'b' }));
    const dir = mkdtempSync(join(tmpdir(), 'kiln-stages-'));
    writeFileSync(join(dir, 'd.csv'), `x,label\n${rows.map((r) => `${r.x},${r.label}`).join('\n')}\n`);
    const spec = pipelineWith('source: { type: csv, path: d.csv }\nfeatures: [{ name: x, type: numeric }]\ntarget: { name: label, type: binary }', 'binary', dir);
    const { out, stream } = sink(true);
    const d = prepareTable(spec.data, tableFromRows(rows), 1, 'f', undefined, undefined, new StageProgress(stream, Date.now, {}));
    expect(d.train.n + d.val.n + d.test.n).toBe(40);
    const lines = out.map((s) => s.replace(/^\r(preparing data: )?/, '').replace('\x1b[K', ''));
    expect(lines).toEqual(['checking for missing values', 'looking for id-like columns', 'splitting 40 rows', `fitting preprocessing on ${d.train.n} train rows`, `fitting preprocessing on ${d.train.n} train rows`, `encoding the train split (${d.train.n} rows)`, `encoding the val split (${d.val.n} rows)`, `encoding the test split (${d.test.n} rows)`]);
  });
});
