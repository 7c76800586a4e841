import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

// 12 runs, newest first on the page: what varies is spread so that no single page of 5 shows it all.
let store: Store;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  for (let i = 0; i < 12; i++) {
    const adam = i % 2 === 0;
    await seedRun(store, {
      experiment: 'cars',
      name: `car-${i}`,
      quality: 1 + i / 10,
      config: {
        description: `Run ${i}: a longer free-text description of what this run tries, written by hand`,
        data: { source: { path: `/data/cars-${i}.csv` } },
        model: { layers: [{ type: 'dense', units: 16 }] },
        // the learning rate differs only between the oldest runs: page 1 alone would not show it
        train: { epochs: 8, earlyStopping: { monitor: 'val.loss' }, optimizer: { name: adam ? 'adam' : 'sgd', learningRate: i < 3 ? 10 ** -(1 + i) : 0.001, ...(adam ? { beta1: 0.9 } : {}) } },
      },
    });
  }
});
afterAll(() => store.close());

const columnsOf = (html: string) => JSON.parse((/data-columns="([^"]*)"/.exec(html)?.[1] ?? '[]').replace(/&quot;/g, '"')) as string[];

describe('runs table default columns', () => {
  it('come from the whole filtered set: the same on every page, swept/varying params ranked, no free text', async () => {
    const pages = await Promise.all([1, 2, 3].map((p) => get(app, `/runs?experiment=cars&limit=5&page=${p}`)));
    const [first, ...rest] = pages.map((p) => columnsOf(p.text));
    for (const cols of rest) expect(cols).toEqual(first);
    expect(first).toEqual([
      'metrics.val.loss',
      'metrics.test.loss',
      'metrics.val.accuracy',
      'metrics.test.accuracy',
      'params.train.optimizer.learningRate',
      'params.train.optimizer.name',
      'params.train.optimizer.beta1',
    ]);
    expect(pages[0]?.text).toContain('>final val.loss</a>');
  });

  it("follow the filter's set, and the user's column choice still wins", async () => {
    const adam = columnsOf((await get(app, `/runs?experiment=cars&filter=${encodeURIComponent('params.train.optimizer.name = "adam"')}`)).text);
    expect(adam.filter((c) => c.startsWith('params.'))).toEqual(['params.train.optimizer.learningRate']);
    const chosen = columnsOf((await get(app, '/runs?experiment=cars&cols=params.description,tags.x')).text);
    expect(chosen).toEqual(['params.description', 'tags.x']);
  });
});

describe('runs table edges', () => {
  it('answers an unknown sort key with a located 400, like an unknown filter key', async () => {
    const r = await get(app, '/runs?experiment=cars&sort=-metrics.val.acuracy');
    expect(r.status).toBe(400);
    expect(r.text).toContain('Sort: no run has metric &#39;val.acuracy&#39; to sort by');
    expect(r.text).toContain("did you mean &#39;metrics.val.accuracy&#39;?");
    const api = await get(app, '/api/runs?sort=params.nope');
    expect(api.status).toBe(400);
    expect(JSON.parse(api.text)).toMatchObject({ error: { status: 400, field: 'sort' } });
    expect((await get(app, '/runs?sort=-params.train.optimizer.learningRate')).status).toBe(200);
  });

  it('says a page past the end is past the end instead of "491-27 of 27"', async () => {
    const r = await get(app, '/runs?experiment=cars&limit=5&page=99');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('491');
    expect(r.text).toContain('<span id="pager-range">0 of 12 (page 99 of 3)</span>');
    expect(r.text).toMatch(/id="past-end">Page 99 is past the end: 12 runs fill 3 pages of 5\. <a href="\/runs\?experiment=cars&amp;limit=5&amp;page=3">/);
    expect(r.text).toMatch(/href="\/runs\?experiment=cars&amp;limit=5&amp;page=3" rel="prev"/);
    const last = await get(app, '/runs?experiment=cars&limit=5&page=3');
    expect(last.text).toContain('11–12 of 12 (page 3 of 3)');
  });
});
