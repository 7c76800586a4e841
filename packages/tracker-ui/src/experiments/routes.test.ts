import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hasRawPayload, hostileFixture, type Fixture } from '../testing/fixture.ts';
import { mainMetric } from '../data/store.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('experiments', () => {
  it('lists experiments with run count and the best main metric', async () => {
    const api = JSON.parse((await get(f.app, '/api/experiments')).text) as { experiments: { name: string; runCount: number; metric: string; best: number; goal: string }[] };
    const mnist = api.experiments.find((e) => e.name === 'mnist');
    expect(mnist).toMatchObject({ runCount: 4, metric: 'val.accuracy', goal: 'maximize' });
    const runs = JSON.parse((await get(f.app, '/api/runs?experiment=mnist&limit=10')).text) as { runs: { metrics: { 'val.accuracy': { max: number } } }[] };
    expect(mnist?.best).toBe(Math.max(...runs.runs.map((r) => r.metrics['val.accuracy'].max)));
    const byLoss = JSON.parse((await get(f.app, '/api/experiments?metric=val.loss')).text) as { experiments: { name: string; goal: string }[] };
    expect(byLoss.experiments.find((e) => e.name === 'mnist')?.goal).toBe('minimize');
  });

  it('renders the page with experiment names escaped', async () => {
    const r = await get(f.app, '/');
    expect(r.text).toContain('&lt;b&gt;exp&lt;/b&gt;');
    expect(r.text).toContain('href="/runs?experiment=%3Cb%3Eexp%3C%2Fb%3E"');
    expect(hasRawPayload(r.text)).toBe(false);
  });

  it('prefers validation accuracy, then validation loss, as the main metric', () => {
    expect(mainMetric(['train.loss', 'val.loss', 'val.accuracy'])).toBe('val.accuracy');
    expect(mainMetric(['train.loss', 'val.loss'])).toBe('val.loss');
    expect(mainMetric(['loss'])).toBe('loss');
    // a script tracking only training metrics: its system metrics (sys/*) sort first but are never the main metric
    expect(mainMetric(['sys/cpu_percent', 'sys/rss_mb', 'train.loss'])).toBe('train.loss');
    expect(mainMetric(['sys/cpu_percent'])).toBeNull();
    expect(mainMetric([])).toBeNull();
  });
});
