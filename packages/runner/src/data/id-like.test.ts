import { describe, expect, it } from 'vitest';
import type { FeatureEntrySpec, FeatureSpec } from '@kiln/core';
import { idLikeWarnings } from './id-like.ts';
import { tableFromRows } from './table.ts';

const n = 30;
const rows = Array.from({ length: n }, (_, i) => ({
  PassengerId: String(i + 1),
  ticket_id: `T-${(i * 7919) % 10007}`,
  uuid: `0f8fad5b-d9cb-469f-a165-${String(70000 + i)}`,
  fare: String(7.25 + i * 1.37),
  paid: String(100 + i),
  age: String(20 + (i % 9)),
  cabin: i % 4 === 0 ? '' : `C${i}`,
}));
const table = tableFromRows(rows);
const ids = Int32Array.from({ length: n }, (_, i) => i);
const numeric = (name: string): FeatureSpec => ({ name, type: 'numeric', normalize: 'standardize', missing: 'mean' });
const category = (name: string): FeatureSpec => ({ name, type: 'category', encoding: 'oneHot' });
const warningsFor = (features: FeatureSpec[], entries: FeatureEntrySpec[] = features) => idLikeWarnings({ features, entry: features.map((_, j) => j) }, entries, table, ids);

describe('id-like feature columns', () => {
  it('warns for unique whole numbers and for unique values named like an id', () => {
    const w = warningsFor([numeric('PassengerId'), category('ticket_id'), category('uuid')]);
    expect(w).toEqual([
      'data.features[0] "PassengerId" looks like a row id (30 distinct whole numbers in 30 rows, and its name says id): a model can only memorise it; drop the feature unless it measures something',
      'data.features[1] "ticket_id" looks like a row id (a distinct value in each of the 30 rows, and its name says id): a model can only memorise it; drop the feature unless it measures something',
      'data.features[2] "uuid" looks like a row id (a distinct value in each of the 30 rows, and its name says id): a model can only memorise it; drop the feature unless it measures something',
    ]);
  });

  it('warns for unique whole numbers whatever the name (paid), but not for unique fractions, repeats or gaps', () => {
    expect(warningsFor([numeric('paid')])).toHaveLength(1);
    expect(warningsFor([numeric('fare'), numeric('age'), category('cabin')])).toEqual([]);
  });

  it('says to exclude the column when a group took it, and stays quiet on a table too small to tell', () => {
    const group: FeatureEntrySpec = { columns: '*', type: 'numeric', normalize: 'standardize', missing: 'mean' };
    expect(idLikeWarnings({ features: [numeric('age'), numeric('PassengerId')], entry: [0, 0] }, [group], table, ids)[0]).toMatch(/^data\.features\[0\] "PassengerId" .*exclude the column from the group/);
    expect(idLikeWarnings({ features: [numeric('PassengerId')], entry: [0] }, [numeric('PassengerId')], table, ids.slice(0, 10))).toEqual([]);
  });
});
