import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
let failed = '';
let pruned = '';
let ok = '';
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const tracker = createTracker(store);
  const base = { experiment: 'e', config: {}, yaml: 'name: e\n', configHash: 'h' };
  const f = await tracker.startRun({ ...base, name: 'broken' });
  await f.end('failed', 'could not read data/missing.csv');
  failed = f.id;
  const p = await tracker.startRun({ ...base, name: 'cut' });
  p.logMetrics([{ key: 'val.loss', step: 0, epoch: 1, value: 0.9 }]);
  await p.end('pruned', 'pruned after epoch 1');
  pruned = p.id;
  ok = await seedRun(store, { experiment: 'e', name: 'fine', config: smallConfig(0.01, 8) });
});
afterAll(() => store.close());

describe('run page states', () => {
  it("says why a failed run's Metrics section is empty", async () => {
    const r = await get(app, `/runs/${failed}`);
    expect(r.text).toContain('<p class="error" id="run-reason">could not read data/missing.csv</p>');
    expect(r.text).toContain('id="no-metrics">No metrics: the run failed before logging any (the reason is above).</p>');
    expect((await get(app, `/runs/${ok}`)).text).not.toContain('id="no-metrics"');
  });

  it('shows "pruned after epoch 1" as a neutral status, not an error', async () => {
    const r = await get(app, `/runs/${pruned}`);
    expect(r.text).toContain('<p class="status-note" id="run-reason">pruned after epoch 1</p>');
    expect(r.text).not.toContain('<p class="error" id="run-reason">');
  });

  it('shows timestamps with their zone: UTC marked, the ISO instant in datetime for the local-time title', async () => {
    const run = await get(app, `/runs/${ok}`);
    expect(run.text).toMatch(/<th>started<\/th><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/td>/);
    const runs = await get(app, '/runs');
    expect(runs.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z" title="[^"]+ \(UTC\)">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/);
    expect((await get(app, '/')).text).toMatch(/<time datetime="[^"]+Z"[^>]*>[^<]+ UTC<\/time>/);
  });
});
