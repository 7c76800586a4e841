import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../prepare.ts';
import { pipelineWith } from '../test-support.ts';
import { text } from './text.ts';
import { ctx, ids } from './test-support.ts';

const spec = (missingValues?: string[]) => ({
  name: 't', type: 'text' as const, lowercase: true, tokenizer: 'words' as const, vocabSize: 10, maxLength: 3, padding: 'post' as const, truncation: 'post' as const,
  ...(missingValues ? { missingValues } : {}),
});
const encode = (s: ReturnType<typeof text.fit>, v: unknown) => {
  const out = new Int32Array(s.maxLength);
  text.encode(s, v, out, 0, 0, ctx);
  return [...out];
};

describe('text feature missing values', () => {
  it('reads the default markers as an empty text: no vocabulary entry, all padding', () => {
    const s = text.fit(spec(), ['good film', 'NA', ' n/a ', null, 'film'], ids(5), ctx);
    expect(s.vocab.slice(2)).toEqual(['film', 'good']);
    expect(encode(s, 'NA')).toEqual([0, 0, 0]);
    expect(encode(s, '?')).toEqual([0, 0, 0]);
    expect(encode(s, 'good NA')).toEqual([3, 1, 0]);
  });

  it("uses the feature's own markers instead of the defaults", () => {
    const s = text.fit(spec(['-', 'none']), ['good film', 'NA', '-', 'None'], ids(4), ctx);
    expect(s.vocab.slice(2)).toEqual(['film', 'good', 'na']);
    expect(encode(s, 'None')).toEqual([0, 0, 0]);
    expect(encode(s, 'NA')).toEqual([4, 0, 0]);
  });

  it('keeps a state saved without markers reading cells as before (only empty and null are missing)', () => {
    const { missingValues: _, ...old } = text.fit(spec(), ['na film'], ids(1), ctx);
    expect(encode(old, 'NA')).toEqual([3, 0, 0]);
    expect(encode(old, null)).toEqual([0, 0, 0]);
  });

  it("takes the source's markers through prepareData, and a feature's own list replaces the source's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-text-missing-'));
    const rows = ['review,label', ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'great fun,1' : i % 4 === 0 ? 'MISSING,0' : 'dull,0'))];
    writeFileSync(join(dir, 'r.csv'), `${rows.join('\n')}\n`);
    const data = (source: string, feature = '') => `source: { type: csv, path: r.csv${source} }\nfeatures: [{ name: review, type: text, maxLength: 2${feature} }]\ntarget: { name: label, type: binary }`;
    const vocab = async (yaml: string) => {
      const d = await prepareData(pipelineWith(yaml, 'binary', dir), { baseDir: dir, cache: false });
      const state = d.state.features[0];
      return state?.type === 'text' ? state.vocab.slice(2).sort() : [];
    };
    expect(await vocab(data(''))).toEqual(['dull', 'fun', 'great', 'missing']);
    expect(await vocab(data(', missingValues: [MISSING]'))).toEqual(['dull', 'fun', 'great']);
    expect(await vocab(data(', missingValues: [MISSING]', ', missingValues: [dull]'))).toEqual(['fun', 'great', 'missing']);
  });
});
