/** A small real model and preprocessing state for the serve tests: no store, no training, tfjs on wasm. */
import { prepareTable } from '../data/prepare.ts';
import { tableFromRows, type Row } from '../data/table.ts';
import { pipelineWith } from '../data/test-support.ts';
import { buildModel } from '../model/build.ts';
import { layer } from '../train/test-support.ts';
import { requestChecker } from './request.ts';
import type { Slot } from './slot.ts';

/** Rows of a numeric, a category and a date column deciding one of three classes. */
export function sampleRows(n: number, from = 0): Row[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const a = Math.sin(i * 1.7) * 3;
    return { a, c: ['x', 'y', 'z'][i % 3], d: `2024-0${1 + (i % 9)}-1${i % 10}`, label: a > 1 ? 'hi' : a < -1 ? 'lo' : 'mid' };
  });
}

/** A slot holding an untrained (seeded, so deterministic) model over sampleRows' columns. */
export function sampleSlot(strict = false): Slot {
  const spec = pipelineWith(
    'source: { type: builtin, name: penguins }\nfeatures: [{ name: a, type: numeric, missing: error }, { name: c, type: category }, { name: d, type: date, missing: mean }]\ntarget: { name: label, type: multiclass }',
    'multiclass',
  );
  const data = prepareTable(spec.data, tableFromRows(sampleRows(60), ['a', 'c', 'd', 'label']), 42, 'fp');
  const model = buildModel({ layers: [layer({ type: 'dense', units: 3, activation: 'softmax' })] }, data, 3);
  const loaded = { model, state: data.state };
  return { info: { ref: 'sample@production', runId: 'run1', model: { name: 'sample', version: 1, alias: 'production' }, loadedAt: '2026-01-01T00:00:00.000Z' }, loaded, checker: requestChecker(data.state, { strict }, 'sample'), pending: 0, retired: false };
}
