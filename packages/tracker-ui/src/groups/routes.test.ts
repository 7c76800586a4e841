import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, meanStd } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { curves, seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import { fmtNum } from '../util/format.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const ids: string[] = [];
let parent: string;
/** The last val.accuracy seedRun logs for a quality (the value the tables show: no kept model). */
const lastAcc = (q: number) => curves(8, q).filter((p) => p.key === 'val.accuracy').at(-1)?.value ?? Number.NaN;
const qualities = [1, 1.5, 0.5, 0.7];

beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  for (const [i, q] of qualities.entries()) {
    ids.push(await seedRun(store, { experiment: 'g', name: `r${i}`, config: { ...smallConfig(i < 2 ? 0.1 : 0.01, 16), seed: i }, quality: q, tags: { team: i % 2 ? 'a' : 'b' } }));
  }
  const tracker = createTracker(store);
  const p = await tracker.startRun({ experiment: 'g', name: 'kfold', config: smallConfig(0.05, 16), yaml: '', configHash: 'k', seed: 1 });
  await p.setTag('kiln.folds', '3');
  for (const fold of [1, 2, 3]) {
    const f = await tracker.startRun({ experiment: 'g', name: `kfold-${fold}`, config: smallConfig(0.05, 16), yaml: '', configHash: 'k', seed: 1, foldParentId: p.id, fold });
    f.logMetrics(curves(4, fold).filter((pt) => pt.key.startsWith('val.')));
    await f.end('finished');
  }
  await p.end('finished');
  parent = p.id;
});
afterAll(() => store.close());

describe('compare, grouped', () => {
  it('groups by everything but the seed: mean ± std (n) per group, one band chart per curve metric', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}&group=-params.seed`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('id="group-metric-table"');
    const { mean, std } = meanStd([lastAcc(1), lastAcc(1.5)]);
    expect(r.text).toContain(`${fmtNum(mean)} ± ${fmtNum(std)} (n=2)`);
    const bands = [...r.text.matchAll(/data-chart="bands"[^>]*data-expected-series="(\d+)"/g)].map((m) => m[1]);
    expect(bands.length).toBe(4); // train/val loss and accuracy
    expect(new Set(bands)).toEqual(new Set(['2']));
    expect(r.text).toMatch(/<option value="-params.seed" selected="">/);
    expect(r.text).toMatch(/<option value="minmax" selected="">/);
  });

  it('groups by a tag with a ±std band, and keeps the per-run charts', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}&group=tags.team&band=std`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('team=b');
    expect(r.text).toContain('&quot;band&quot;:&quot;std&quot;'.replace(/&quot;/g, '"'));
    expect(r.text).toContain('id="compare-curves"');
    // the parallel coordinates' axis form keeps the grouping too
    const picker = r.text.slice(r.text.indexOf('id="axis-picker"'));
    expect(picker).toContain('<input type="hidden" name="group" value="tags.team"/>');
    expect(picker).toContain('<input type="hidden" name="band" value="std"/>');
  });

  it("makes a k-fold parent's folds a group", async () => {
    const r = await get(app, `/compare?runs=${parent},${ids[0]}&group=folds`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('kfold (3 folds)');
    const { mean, std } = meanStd([1, 2, 3].map((q) => curves(4, q).filter((p) => p.key === 'val.accuracy').at(-1)?.value ?? Number.NaN));
    expect(r.text).toContain(`${fmtNum(mean)} ± ${fmtNum(std)} (n=3)`);
  });

  it('is a 400 naming what it takes for a grouping or band it does not know', async () => {
    const bad = await get(app, `/compare?runs=${ids.join(',')}&group=name`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('params.&lt;key&gt;');
    expect((await get(app, `/compare?runs=${ids.join(',')}&group=folds&band=wide`)).status).toBe(400);
  });

  it('shows no group section without a grouping', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}`);
    expect(r.text).not.toContain('id="groups"');
  });
});

describe('runs page, grouped', () => {
  it('shows one row per group over the filtered set with n and mean ± std, and keeps the grouping in its links', async () => {
    const r = await get(app, `/runs?experiment=g&group=-params.seed&cols=metrics.val.accuracy`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('id="group-table"');
    const { mean, std } = meanStd([lastAcc(1), lastAcc(1.5)]);
    expect(r.text).toContain(`${fmtNum(mean)} ± ${fmtNum(std)} (n=2)`);
    // the k-fold parent is listed (its folds are not) and its folds form its group
    expect(r.text).toContain('kfold (3 folds)');
    expect((r.text.match(/<tr data-group=/g) ?? []).length).toBe(3);
    // sort links and the pager carry the grouping
    expect(r.text).toMatch(/href="\/runs\?[^"]*group=-params.seed/);
    expect(r.text).toContain('id="compare-groups"');
  });

  it('groups by a tag and is a 400 for an unknown grouping', async () => {
    const r = await get(app, `/runs?experiment=g&group=tags.team&cols=metrics.val.accuracy`);
    expect(r.text).toContain('team=a');
    expect(r.text).toContain('team=b');
    expect((await get(app, '/runs?group=bogus')).status).toBe(400);
  });

  it('has no groups table without a grouping', async () => {
    const r = await get(app, '/runs?experiment=g');
    expect(r.text).toContain('id="group-form"');
    expect(r.text).not.toContain('id="group-table"');
  });
});
