import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, summarizeFolds } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { XSS, get, hasRawPayload } from '../testing/fixture.ts';
import { tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

// A k-fold parent (hostile name and metric key) beside a plain run: every page shows the parent's `.std` with its mean.
const EVIL_KEY = `test.${XSS}`;
let store: Store;
let app: ReturnType<typeof createApp>;
let parentId = '';
let plainId = '';
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const tracker = createTracker(store);
  const base = { experiment: 'cv', config: {}, yaml: 'name: cv\n', configHash: 'h' };
  const parent = await tracker.startRun({ ...base, name: `cv${XSS}` });
  await parent.setTag('kiln.folds', '2');
  const summary = summarizeFolds([
    { 'val.accuracy': 0.8, 'test.accuracy': 0.7, [EVIL_KEY]: 1 },
    { 'val.accuracy': 0.9, 'test.accuracy': 0.75, [EVIL_KEY]: 3 },
  ]);
  parent.logMetrics(Object.entries(summary).map(([key, value]) => ({ key, step: 2, value })));
  await parent.recordKept(null, summary);
  await parent.end('finished');
  parentId = parent.id;
  const plain = await tracker.startRun({ ...base, name: 'single' });
  const values = { 'val.accuracy': 0.6, 'test.accuracy': 0.65 };
  plain.logMetrics(Object.entries(values).map(([key, value]) => ({ key, step: 1, epoch: 1, value })));
  await plain.recordKept(1, values);
  await plain.end('finished');
  plainId = plain.id;
});
afterAll(() => store.close());

/** The text of the table (or element) with this id, up to its end. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</table>', start));
}

describe("a k-fold parent's mean ± std", () => {
  it('is one metric row on the compare page, with no .std row, option or bar chart', async () => {
    const r = await get(app, `/compare?runs=${parentId},${plainId}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    const table = section(r.text, 'metric-table');
    // the parent is the baseline (first run): the single run's cell carries its difference to the parent's mean
    expect(table).toMatch(/<tr data-metric="val\.accuracy" data-value="final"><th>val\.accuracy <span class="muted">final<\/span><\/th><td class="num">0\.85 ± 0\.05<\/td><td class="num">0\.6 <span class="delta delta-worse"[^>]*>−0\.25<\/span><\/td><\/tr>/);
    expect(table).toMatch(/<tr data-metric="test\.accuracy" data-value="final"><th>test\.accuracy <span class="muted">final<\/span><\/th><td class="num">0\.725 ± 0\.025<\/td><td class="num">0\.65 <span class="delta delta-worse"[^>]*>−0\.075<\/span><\/td><\/tr>/);
    expect(table).toContain('<td class="num">2 ± 1</td>');
    expect(r.text).not.toContain('.std');
    const api = JSON.parse((await get(app, `/api/compare?runs=${parentId},${plainId}`)).text) as { metricKeys: string[] };
    expect(api.metricKeys).toEqual(['test.accuracy', EVIL_KEY, 'val.accuracy'].sort());
  });

  it("is one row of the run page's validation and test tables", async () => {
    const r = await get(app, `/runs/${parentId}`);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(section(r.text, 'val-metrics')).toBe('id="val-metrics"><tbody><tr><th>val.accuracy</th><td>0.85 ± 0.05</td></tr></tbody>');
    const tests = section(r.text, 'test-metrics');
    expect(tests).toContain('<tr><th>test.accuracy</th><td>0.725 ± 0.025</td></tr>');
    expect(tests).not.toContain('.std');
  });

  it('is one cell of the runs table, and .std is no column of its own', async () => {
    const r = await get(app, '/runs?experiment=cv');
    expect(hasRawPayload(r.text)).toBe(false);
    const table = section(r.text, 'runs-table');
    expect(table).toContain('<td data-cell="metrics.val.accuracy" class="num">0.85 ± 0.05</td>');
    expect(table).toContain('<td data-cell="metrics.val.accuracy" class="num">0.6</td>');
    expect(table).not.toContain('.std');
  });
});
