import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';
import type { ParcoordsSpec, XYSpec } from '../util/chart.tsx';

// Three runs of increasing quality: lower val.loss and higher val.accuracy than the first; the third lacks a param.
let store: Store;
let app: ReturnType<typeof createApp>;
let ids: string[] = [];
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const configs = [
    { ...smallConfig(0.0001, 16), description: 'the first run, described in a sentence of free text', data: { source: { path: '/data/a.csv' } }, train: { epochs: 8, optimizer: { name: 'adam', learningRate: 0.0001, beta1: 0.9 } } },
    { ...smallConfig(0.01, 32), description: 'the second run, described in another sentence of free text', data: { source: { path: '/data/b.csv' } }, train: { epochs: 8, optimizer: { name: 'adam', learningRate: 0.01, beta1: 0.8 } } },
    { ...smallConfig(0.1, 64), description: 'the third run, yet another sentence of free text', data: { source: { path: '/data/c.csv' } }, train: { epochs: 8, optimizer: { name: 'sgd', learningRate: 0.1 } } },
  ];
  ids = [];
  for (const [i, config] of configs.entries()) ids.push(await seedRun(store, { experiment: 'e', name: `run-${i}`, config, quality: 1 + i }));
});
afterAll(() => store.close());

const specOf = (html: string, id: string) => JSON.parse(new RegExp(`<script type="application/json" id="${id}-spec">([^<]*)</script>`).exec(html)?.[1] ?? 'null') as ParcoordsSpec;
const row = (html: string, key: string, which: string) => new RegExp(`<tr data-metric="${key.replace('.', '\\.')}" data-value="${which}"[^>]*>(.*?)</tr>`).exec(html)?.[1] ?? '';

describe('compare: final and best metrics against a baseline run', () => {
  it('shows final and best rows with signed differences coloured by the metric direction, to the first run by default', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}`);
    expect(r.status).toBe(200);
    const loss = row(r.text, 'val.loss', 'final');
    // run-0 is the baseline: no difference in its own cell; the better runs have a lower loss (green) and a higher accuracy (green)
    expect([...loss.matchAll(/class="delta (delta-\w+)"[^>]*>([−+±][^<]+)</g)].map((m) => [m[1], m[2]?.[0]])).toEqual([
      ['delta-better', '−'],
      ['delta-better', '−'],
    ]);
    const acc = row(r.text, 'val.accuracy', 'best');
    expect([...acc.matchAll(/class="delta (delta-\w+)"[^>]*>([−+±])/g)].map((m) => [m[1], m[2]])).toEqual([
      ['delta-better', '+'],
      ['delta-better', '+'],
    ]);
    expect(r.text).toMatch(/<option value="[^"]+" selected="">run-0<\/option>/);
    expect(r.text).toContain('(baseline)');
  });

  it('takes the baseline from the URL: differences flip sign and colour', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}&baseline=${ids[2]}`);
    const loss = row(r.text, 'val.loss', 'final');
    expect([...loss.matchAll(/class="delta (delta-\w+)"[^>]*>([−+±])/g)].map((m) => [m[1], m[2]])).toEqual([
      ['delta-worse', '+'],
      ['delta-worse', '+'],
    ]);
    expect(r.text).toMatch(new RegExp(`<option value="${ids[2]}" selected="">run-2</option>`));
    // an unknown baseline falls back to the first run
    expect((await get(app, `/compare?runs=${ids.join(',')}&baseline=nope`)).text).toMatch(new RegExp(`<option value="${ids[0]}" selected="">`));
  });

  it('draws parallel coordinates over varying params only (no free text or data paths), log-scaled where values span decades, with gaps', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}`);
    const spec = specOf(r.text, 'parcoords');
    const labels = spec.axes.map((a) => a.label);
    expect(labels).not.toContain('description');
    expect(labels).not.toContain('data.source.path');
    // beta1 takes as many values as the optimizer's name but only adam runs have it: it comes after
    expect(labels.slice(0, 4)).toEqual(['model.layers[0].units', 'train.optimizer.learningRate', 'train.optimizer.name', 'train.optimizer.beta1']);
    expect(spec.axes.find((a) => a.label === 'train.optimizer.learningRate')?.log).toBe(true);
    expect(spec.axes.find((a) => a.label === 'model.layers[0].units')?.log).toBeUndefined();
    // the sgd run has no beta1: a gap (null), not a made-up value
    expect(spec.axes.find((a) => a.label === 'train.optimizer.beta1')?.values).toEqual([0.9, 0.8, null]);
    // the scatter puts a log-distributed param on a log x axis too
    const scatter = JSON.parse(/<script type="application\/json" id="scatter-spec">([^<]*)<\/script>/.exec((await get(app, `/compare?runs=${ids.join(',')}&x=train.optimizer.learningRate`)).text)?.[1] ?? '{}') as XYSpec;
    expect([scatter.xLog, scatter.xLabel]).toEqual([true, 'train.optimizer.learningRate (log)']);
    const linear = JSON.parse(/<script type="application\/json" id="scatter-spec">([^<]*)<\/script>/.exec((await get(app, `/compare?runs=${ids.join(',')}&x=model.layers[0].units`)).text)?.[1] ?? '{}') as XYSpec;
    expect(linear.xLog).toBeUndefined();
    const chosen = specOf((await get(app, `/compare?runs=${ids.join(',')}&axes=description,train.optimizer.name`)).text, 'parcoords');
    expect(chosen.axes.map((a) => a.label)).toEqual(['description', 'train.optimizer.name', 'val.accuracy']);
  });
});
