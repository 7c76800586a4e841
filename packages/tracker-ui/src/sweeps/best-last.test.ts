import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTrials, claimTrial, createSweep, finishTrial } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';
import type { ParcoordsSpec } from '../util/chart.tsx';

// A sweep over a log-uniform learning rate and a categorical width; each trial's run logs val.loss curves whose
// minimum (best) comes before their last epoch, so final, best and last differ.
let store: Store;
let app: ReturnType<typeof createApp>;
let sweepId = '';
let emptySweep = '';
const LRS = [0.0001, 0.001, 0.01, 0.1];
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const space = { 'train.optimizer.learningRate': { type: 'logUniform', low: 1e-4, high: 0.1 }, 'model.layers[0].units': { type: 'values', values: [16, 32] } };
  sweepId = await createSweep(store, { name: 'lr-sweep', experiment: 'mnist', spec: { space }, method: 'tpe', metric: 'val.loss', goal: 'minimize' });
  await addTrials(store, sweepId, LRS.map((lr, i) => ({ number: i, params: { 'train.optimizer.learningRate': lr, 'model.layers[0].units': i % 2 ? 32 : 16 } })));
  for (const [i, lr] of LRS.entries()) {
    const runId = await seedRun(store, { experiment: 'mnist', name: `trial-${i}`, config: { ...smallConfig(lr, i % 2 ? 32 : 16), description: `trial ${i} of the learning-rate sweep, written as free text` }, quality: 1 + i, epochs: 20 });
    const t = await claimTrial(store, sweepId, 'w1');
    if (t === null) throw new Error('no trial');
    await finishTrial(store, t.id, { state: 'complete', value: 0.5 + i / 10, runId });
  }
  emptySweep = await createSweep(store, { name: 'fresh', experiment: 'mnist', spec: { space }, method: 'random', metric: 'val.loss', goal: 'minimize' });
});
afterAll(() => store.close());

const specOf = (html: string, id: string) => JSON.parse(new RegExp(`<script type="application/json" id="${id}-spec">([^<]*)</script>`).exec(html)?.[1] ?? 'null') as ParcoordsSpec;

describe('sweep page: final, best and last, named', () => {
  it('shows each trial final (what the sweep scores), best and last logged, with headers that say which', async () => {
    const r = await get(app, `/sweeps/${sweepId}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('>final val.loss</th>');
    expect(r.text).toContain('>best val.loss</th>');
    expect(r.text).toContain('>last val.loss</th>');
    expect(r.text).toContain('best final val.loss 0.5');
    const api = JSON.parse((await get(app, `/api/sweeps/${sweepId}`)).text) as { logged: Record<string, { best: number; last: number }> };
    for (const n of ['0', '1', '2', '3']) {
      const v = api.logged[n];
      expect(v?.best).toBeLessThan(v?.last ?? 0);
    }
    const row = /<td class="num" data-cell="final">0\.5<\/td><td class="num" data-cell="best">([^<]+)<\/td><td class="num" data-cell="last">([^<]+)<\/td>/.exec(r.text);
    expect(Number(row?.[1])).toBeCloseTo(api.logged['0']?.best ?? NaN, 3);
    expect(Number(row?.[2])).toBeCloseTo(api.logged['0']?.last ?? NaN, 3);
    expect((await get(app, '/sweeps')).text).toContain('>Best final</th>');
  });

  it('draws the swept params as parcoords axes, the log-uniform one on a log scale, and lets the URL pick axes', async () => {
    const r = await get(app, `/sweeps/${sweepId}`);
    const spec = specOf(r.text, 'sweep-parcoords');
    expect(spec.axes.map((a) => [a.label, a.log ?? false])).toEqual([
      ['train.optimizer.learningRate', true],
      ['model.layers[0].units', false],
      ['final val.loss', false],
    ]);
    expect(r.text).toContain('id="axis-picker"');
    const picked = specOf((await get(app, `/sweeps/${sweepId}?axes=model.layers[0].units,nope`)).text, 'sweep-parcoords');
    expect(picked.axes.map((a) => a.label)).toEqual(['model.layers[0].units', 'final val.loss']);
  });

  it('says why the importance table is empty instead of drawing an empty table', async () => {
    const r = await get(app, `/sweeps/${emptySweep}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('id="no-importance"');
    expect(r.text).not.toContain('id="importance"');
    expect((await get(app, `/sweeps/${sweepId}`)).text).toContain('id="importance"');
  });
});
