import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';
import { isSystemKey, splitSystemKeys } from './keys.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const ids: string[] = [];

beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  // extraMetrics log value = epoch at each epoch: sys/rss_mb ends at 4 here, at 7 for the 8-epoch run
  ids.push(await seedRun(store, { experiment: 's', name: 'short', config: smallConfig(0.1, 8), epochs: 5, extraMetrics: ['sys/cpu_percent', 'sys/rss_mb'] }));
  ids.push(await seedRun(store, { experiment: 's', name: 'long', config: smallConfig(0.01, 8), epochs: 8, extraMetrics: ['sys/cpu_percent', 'sys/rss_mb'] }));
});
afterAll(() => store.close());

describe('system metrics in the UI', () => {
  it('tells system keys from model keys', () => {
    expect(splitSystemKeys(['val.loss', 'sys/rss_mb', 'time.epoch_seconds', 'lr'])).toEqual({ model: ['val.loss', 'lr'], system: ['sys/rss_mb', 'time.epoch_seconds'] });
    expect(isSystemKey('sysadmin.loss')).toBe(false);
  });

  it('run page: a System section of their own, out of the metric tables', async () => {
    const r = await get(app, `/runs/${ids[0]}`);
    const system = r.text.slice(r.text.indexOf('id="system"'));
    expect(system).toContain('sys/cpu_percent');
    expect(r.text.slice(0, r.text.indexOf('id="run-charts"'))).not.toContain('sys/');
  });

  it('compare page: comparable in their own section, never the default metric or a table row', async () => {
    const r = await get(app, `/compare?runs=${ids.join(',')}`);
    expect(r.status).toBe(200);
    const api = JSON.parse((await get(app, `/api/compare?runs=${ids.join(',')}`)).text) as { metricKeys: string[]; systemKeys: string[]; metric: string };
    expect(api.systemKeys).toEqual(['sys/cpu_percent', 'sys/rss_mb']);
    expect(api.metricKeys.some((k) => k.startsWith('sys/'))).toBe(false);
    expect(api.metric).toBe('val.accuracy');
    expect(r.text).toMatch(/id="sys-curve-0"[^>]*data-expected-series="2"/);
  });

  it('filters by a system metric like any other', async () => {
    const r = JSON.parse((await get(app, `/api/runs?filter=${encodeURIComponent('metrics.sys/rss_mb > 5')}`)).text) as { runs: { name: string }[] };
    expect(r.runs.map((x) => x.name)).toEqual(['long']);
  });
});
