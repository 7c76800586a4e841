import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../prepare.ts';
import { pipelineWith } from '../test-support.ts';
import { openSource } from './index.ts';
import { planOfData } from './plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-plan-'));
writeFileSync(join(dir, 'zips.csv'), 'zip,price,unused,label\n' + Array.from({ length: 30 }, (_, i) => `${['01234', '00042', '1234'][i % 3]},${i % 5 === 0 ? 'NA' : (i * 1.5).toFixed(2)},${i},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n');
const DATA = 'source: { type: csv, path: zips.csv }\nfeatures: [{ name: zip, type: category }, { name: price, type: numeric, missing: mean }]\ntarget: { name: label, type: binary }';

describe('which columns a pipeline reads as numbers', () => {
  it('reads the numeric feature and unused columns as numbers and keeps the text of the category and the target', async () => {
    const spec = pipelineWith(DATA, 'binary', dir);
    const t = await (await openSource(spec.data.source, { baseDir: dir })).load({ plan: planOfData(spec.data) });
    expect(['zip', 'price', 'unused', 'label'].map((c) => t.column(c)?.kind)).toEqual(['string', 'number', 'number', 'string']);
  });

  it('keeps "01234", "00042" and "1234" as three categories through the whole preparation', async () => {
    const d = await prepareData(pipelineWith(DATA, 'binary', dir), { baseDir: dir, cache: false });
    const [zip] = d.state.features;
    expect(zip?.type === 'category' ? zip.categories.slice(1).sort() : []).toEqual(['00042', '01234', '1234']);
  });
});
