import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, type Store } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { tempStore } from '../testing/seed.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const ids: Record<'kept' | 'failed', string> = { kept: '', failed: '' };

beforeAll(async () => {
  store = await tempStore();
  const tracker = createTracker(store);
  const base = { experiment: 'wine', config: {}, yaml: 'name: wine-mlp\n', configHash: 'h', pipeline: 'wine-mlp' };
  // val.auc is best (0.977) at epoch 2, whose weights are restored; the last epoch logged 0.9782.
  const kept = await tracker.startRun(base);
  kept.logMetrics([1, 2, 3].map((e) => ({ key: 'val.auc', step: e, epoch: e, value: [0.95, 0.977, 0.9782][e - 1] ?? Number.NaN })));
  kept.logMetrics([{ key: 'test.auc', step: 3, epoch: 3, value: 0.961 }]);
  await kept.recordKept(2, { 'val.auc': 0.977, 'test.auc': 0.961 });
  await kept.setTag('kiln.warning', 'train loss diverged: 10.5 at epoch 3');
  await kept.end('finished');
  const failed = await tracker.startRun(base);
  failed.logMetrics([{ key: 'val.auc', step: 1, epoch: 1, value: 0.51 }]);
  await failed.end('failed', 'diverged at epoch 1 step 5');
  [ids.kept, ids.failed] = [kept.id, failed.id];
  app = createApp({ store });
});
afterAll(() => store.close());

describe("the kept model's values in the UI", () => {
  it('the run page shows the warning, the kept epoch and the final val and test values, not the last epoch', async () => {
    const r = await get(app, `/runs/${ids.kept}`);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/<p class="error" id="run-warning">warning: (<!-- -->)?train loss diverged: 10.5 at epoch 3<\/p>/);
    expect(r.text).toContain('Kept model: epoch 2.');
    expect(r.text).toMatch(/Validation metrics \((<!-- -->)?final, epoch 2/);
    expect(r.text).toMatch(/id="val-metrics"[\s\S]*?0\.977[\s\S]*?id="test-metrics"[\s\S]*?0\.961/);
    expect(r.text).not.toContain('0.9782');
  });

  it('a run that kept no model shows its last values, marked *', async () => {
    const r = await get(app, `/runs/${ids.failed}`);
    expect(r.text).toContain('No model kept: the values below are the last logged.');
    expect(r.text).toMatch(/id="val-metrics"[\s\S]*?0\.51\*/);
  });

  it('the runs table and its JSON show final values, marking last-only ones, with the note in the header', async () => {
    const r = await get(app, '/runs?cols=metrics.val.auc');
    expect(r.text).toMatch(/title="metrics\.val\.auc: the kept model(&#39;|')s value \(final\)/);
    expect(r.text).toMatch(new RegExp(`data-run="${ids.kept}"[\\s\\S]*?data-cell="metrics.val.auc"[^>]*>0\\.977<`));
    expect(r.text).toMatch(new RegExp(`data-run="${ids.failed}"[\\s\\S]*?data-cell="metrics.val.auc"[^>]*>0\\.51\\*<`));
    const api = JSON.parse((await get(app, '/api/runs')).text) as { runs: { id: string; keptEpoch: number | null; metrics: Record<string, { final: number | null }> }[] };
    expect(api.runs.find((x) => x.id === ids.kept)).toMatchObject({ keptEpoch: 2, metrics: { 'val.auc': { final: 0.977 } } });
  });

  it('the compare page plots final values and names each kept epoch', async () => {
    const r = await get(app, `/compare?runs=${ids.kept},${ids.failed}&metric=val.auc`);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/id="kept-epochs"[^>]*>[\s\S]*?epoch (<!-- -->)?2[\s\S]*?none kept: last logged/);
    expect(r.text).toContain('final val.auc (kept model); last logged for runs that kept none');
  });
});
