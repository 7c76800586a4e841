import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, summarizeFolds } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { XSS, get, hasRawPayload } from '../testing/fixture.ts';
import { tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
let parentId = '';
const foldIds: string[] = [];
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const tracker = createTracker(store);
  const base = { experiment: 'cv', config: {}, yaml: 'name: cv\n', configHash: 'h' };
  const parent = await tracker.startRun({ ...base, name: `cv${XSS}` });
  await parent.setTag('kiln.folds', '2');
  const values = [
    { 'val.accuracy': 0.8, 'test.accuracy': 0.7 },
    { 'val.accuracy': 0.9, 'test.accuracy': 0.75 },
  ];
  for (const [i, v] of values.entries()) {
    const child = await tracker.startRun({ ...base, name: `cv-fold-${i + 1}`, foldParentId: parent.id, fold: i + 1 });
    child.logMetrics(Object.entries(v).map(([key, value]) => ({ key, step: 1, epoch: 1, value })));
    await child.recordKept(1, v);
    await child.end('finished');
    foldIds.push(child.id);
  }
  const summary = summarizeFolds(values);
  parent.logMetrics(Object.entries(summary).map(([key, value]) => ({ key, step: 2, value })));
  await parent.recordKept(null, summary);
  await parent.end('finished');
  parentId = parent.id;
});
afterAll(() => store.close());

describe('run page of k-fold runs', () => {
  it("shows a parent's folds linked, with each fold's values and the mean ± std", async () => {
    const r = await get(app, `/runs/${parentId}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(r.text).toContain('Cross-validation (2 folds)');
    expect(r.text).toContain('A k-fold parent keeps no model of its own');
    const table = r.text.slice(r.text.indexOf('id="fold-table"'), r.text.indexOf('</table>', r.text.indexOf('id="fold-table"')));
    expect([...table.matchAll(/href="([^"]+)"/g)].map(([, href]) => href)).toEqual(foldIds.map((id) => `/runs/${id}`));
    expect(table).toMatch(/<td>0\.8<\/td>[\s\S]*<td>0\.9<\/td>/);
    const mean = table.slice(table.indexOf('id="folds-mean"'));
    expect(mean).toContain('0.85 ± 0.05');
    expect(mean).toContain('0.725 ± 0.025');
  });

  it("links a fold to its parent, and the runs list shows the parent only", async () => {
    const r = await get(app, `/runs/${foldIds[0] ?? ''}`);
    expect(r.text).toMatch(new RegExp(`id="fold-parent"[^>]*>\\s*Fold 1 of a <a href="/runs/${parentId}"`));
    expect(r.text).not.toContain('id="folds"');
    const list = await get(app, '/runs');
    expect(list.text).toContain(`/runs/${parentId}`);
    expect(list.text).toContain('<span class="muted"> (2-fold)</span>');
    for (const id of foldIds) expect(list.text).not.toContain(`/runs/${id}`);
  });
});
