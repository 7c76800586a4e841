// The runs listing past COUNT_BOUND matches: /runs and /api/runs answer "1,000+" with next/previous (no script
// needed), GET /api/runs/count gives the exact total of the same query (filter, experiment, folds left out), and
// a page past the bound, a smaller set or a sort by another run column than the start count exactly with the page count and the last page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRunsBulk } from '@kiln/core/testing';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';
import { COUNT_BOUND } from './load.ts';

const N = 1100;
// seed-bulk's values: val.accuracy of run i is ((i * 31) % 1000) / 1000, every 7th failed, experiments exp(i % 10)
const acc = (i: number) => ((i * 31) % 1000) / 1000;
const runs = Array.from({ length: N }, (_, i) => ({ acc: acc(i), failed: i % 7 === 0, experiment: `exp${i % 10}` }));

let store: Store;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  store = await tempStore('kiln-ui-count-');
  await seedRunsBulk(store, N, { batch: 500 });
  app = createApp({ store });
});
afterAll(() => store.close());

const json = async (path: string) => {
  const r = await get(app, path);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, unknown> };
};

describe('runs listing past the count bound', () => {
  it('serves a page sorted by a metric with a bounded total, next and previous, and the URL of the exact count', async () => {
    expect(N).toBeGreaterThan(COUNT_BOUND);
    const r = await get(app, '/runs?sort=-metrics.val.accuracy&page=2');
    expect(r.status).toBe(200);
    expect(r.text).toContain('<span id="pager-range">51–100 of 1,000+</span>');
    expect(r.text).toContain('data-count-url="/api/runs/count"');
    expect(r.text).toMatch(/<a href="\/runs\?sort=-metrics\.val\.accuracy&amp;page=3" rel="next">/);
    expect(r.text).toMatch(/<a href="\/runs\?sort=-metrics\.val\.accuracy" rel="prev">/);
    expect(r.text).not.toContain('id="pager-last"');
    const api = await json('/api/runs?sort=-metrics.val.accuracy');
    expect(api.body).toMatchObject({ total: COUNT_BOUND, totalExact: false, page: 1, limit: 50 });
  });

  it('bounds the default newest-first page too, with or without a filter', async () => {
    const plain = await get(app, '/runs');
    expect(plain.text).toContain('<span id="pager-range">1–50 of 1,000+</span>');
    // train.lr of run i is (i % 100) / 1000: 1,089 runs match
    const filtered = await json(`/api/runs?filter=${encodeURIComponent('params.train.lr >= 0.001')}`);
    expect(filtered.body).toMatchObject({ total: COUNT_BOUND, totalExact: false });
    const newest = Array.from({ length: N }, (_, i) => N - 1 - i).filter((i) => i % 100 !== 0).slice(0, 50);
    expect((filtered.body.runs as { name: string }[]).map((r) => r.name)).toEqual(newest.map((i) => `run${i}`));
  });

  it('answers the exact total of the same query at /api/runs/count', async () => {
    expect((await json('/api/runs/count')).body).toEqual({ total: N });
    const filter = 'metrics.val.accuracy > 0.5 and status = finished';
    const matching = runs.filter((r) => r.acc > 0.5 && !r.failed).length;
    expect((await json(`/api/runs/count?filter=${encodeURIComponent(filter)}`)).body).toEqual({ total: matching });
    expect((await json(`/api/runs/count?experiment=exp3&filter=${encodeURIComponent(filter)}`)).body).toEqual({ total: runs.filter((r) => r.experiment === 'exp3' && r.acc > 0.5 && !r.failed).length });
    // paging, sort and columns do not change the count
    expect((await json(`/api/runs/count?filter=${encodeURIComponent(filter)}&sort=-metrics.val.accuracy&page=4&cols=params.train.lr`)).body).toEqual({ total: matching });
  });

  it('turns a bad filter or an unknown key into a located 400, as /api/runs does', async () => {
    const bad = await json(`/api/runs/count?filter=${encodeURIComponent('metrics.val.accuracy >')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ status: 400, field: 'filter', col: 23 });
    const unknown = await json(`/api/runs/count?filter=${encodeURIComponent('metrics.val.acuracy > 0.5')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ field: 'filter', hint: "did you mean 'metrics.val.accuracy'?" });
  });

  it('counts exactly past the bound, for a smaller set and for a run-column sort, with the last page linked', async () => {
    const deep = await get(app, '/runs?sort=-metrics.val.accuracy&page=21');
    expect(deep.text).toContain('<span id="pager-range">1,001–1,050 of 1,100 (page 21 of 22)</span>');
    expect(deep.text).toMatch(/<a href="\/runs\?sort=-metrics\.val\.accuracy&amp;page=22" id="pager-last">Last \(22\) »<\/a>/);
    expect(deep.text).not.toContain('data-count-url');

    const small = await get(app, `/runs?sort=-metrics.val.accuracy&filter=${encodeURIComponent('metrics.val.accuracy > 0.9')}`);
    const over = runs.filter((r) => r.acc > 0.9).length;
    expect(small.text).toContain(`<span id="pager-range">1–50 of ${over} (page 1 of ${Math.ceil(over / 50)})</span>`);
    expect(small.text).toContain('id="pager-last"');

    const byName = await json(`/api/runs?sort=runName&filter=${encodeURIComponent('status = finished')}`);
    expect(byName.body).toMatchObject({ total: runs.filter((r) => !r.failed).length, totalExact: true });
  });
});
