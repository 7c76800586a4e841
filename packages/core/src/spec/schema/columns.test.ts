import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineText } from '../load.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-columns-spec-'));
writeFileSync(join(dir, 'd.csv'), 'x,y\n1,a\n');
const file = join(dir, 'p.yaml');

const pipeline = (feature: string) => `name: t
data:
  source: { type: csv, path: d.csv, missingValues: [NA, '-999'] }
  features:
    - ${feature}
  target: { name: y, type: binary }
model:
  layers: [{ type: dense, units: 1, activation: sigmoid }]
train: { epochs: 1, loss: binaryCrossentropy, optimizer: { name: adam }, metrics: [accuracy] }
`;
const problems = (feature: string) => {
  const r = loadPipelineText(file, pipeline(feature));
  return r.ok ? [] : r.errors.map((e) => ({ code: e.code, path: e.path, message: e.message, line: e.line }));
};

describe('a feature entry names one column or a group of columns', () => {
  it('takes name or columns (with exclude), and fills the category defaults', () => {
    const r = loadPipelineText(file, pipeline("{ columns: 'pixel*', type: category, exclude: [pixel0] }"));
    expect(r.ok && r.pipeline.spec.data.features[0]).toEqual({ columns: 'pixel*', exclude: ['pixel0'], type: 'category', encoding: 'oneHot', trim: true, lowercase: false, minCount: 1 });
    expect(problems('{ name: x, type: numeric, missingValues: [n.a.] }')).toEqual([]);
  });

  it('refuses neither, both, and exclude without columns, at the entry', () => {
    expect(problems('{ type: numeric }')).toEqual([{ code: 'spec/missing-key', path: 'data.features[0]', message: 'missing a key: give one of "name", "columns"', line: 5 }]);
    expect(problems("{ name: x, columns: 'x*', type: numeric }")).toEqual([{ code: 'spec/conflicting-keys', path: 'data.features[0]', message: '"name" and "columns" cannot be given together', line: 5 }]);
    expect(problems('{ name: x, exclude: [y], type: numeric }')).toEqual([{ code: 'spec/missing-key', path: 'data.features[0]', message: '"exclude" needs "columns"', line: 5 }]);
  });

  it('rejects unknown keys, and groups and category options on types without them', () => {
    expect(problems("{ columns: '*', type: numeric, lowercase: true }").map((p) => [p.code, p.path])).toEqual([['spec/unknown-key', 'data.features[0].lowercase']]);
    expect(problems("{ columns: '*', type: text }").map((p) => [p.code, p.path])).toEqual([
      ['spec/missing-key', 'data.features[0]'],
      ['spec/unknown-key', 'data.features[0].columns'],
    ]);
    expect(problems('{ name: c, type: category, minCount: 0 }').map((p) => [p.code, p.path])).toEqual([['spec/out-of-range', 'data.features[0].minCount']]);
  });
});
