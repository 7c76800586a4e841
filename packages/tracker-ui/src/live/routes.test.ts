import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTrials, claimTrial, createSweep, createTracker, finishTrial, setSweepStatus, type RunHandle } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
let live: RunHandle;
let done: string;

const points = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ key: 'val.loss', step: from + i, epoch: from + i, value: 1 / (from + i + 1) }));

beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  done = await seedRun(store, { experiment: 'e', name: 'done', config: smallConfig(0.1, 8) });
  live = await createTracker(store).startRun({ experiment: 'e', name: 'live', config: {}, yaml: '', configHash: 'h', seed: 1 });
  live.logMetrics(points(0, 4));
  await live.flush();
});
afterAll(() => store.close());

type Body = { runs: { id: string; status: string; keys: string[] }[]; series: { run: string; key: string; steps: number[]; values: number[] }[]; sweep?: { status: string; live: boolean; sig: string } };
const poll = async (q: string) => {
  const r = await get(app, `/api/live?${q}`);
  return { status: r.status, body: JSON.parse(r.text) as Body };
};

describe('GET /api/live', () => {
  it('answers statuses, keys and only the points after the step the page has', async () => {
    const { status, body } = await poll(`runs=${live.id},${done}&run=${live.id}&key=val.loss&after=2`);
    expect(status).toBe(200);
    expect(body.runs.map((r) => [r.id, r.status]).sort()).toEqual([[done, 'finished'], [live.id, 'running']].sort());
    expect(body.runs.find((r) => r.id === live.id)?.keys).toEqual(['val.loss']);
    expect(body.series).toHaveLength(1);
    expect(body.series[0]?.steps).toEqual([3, 4]);
    expect(body.series[0]?.values).toEqual([1 / 4, 1 / 5]);
  });

  it('brings points logged since the last poll, and the run ending', async () => {
    live.logMetrics(points(5, 6));
    await live.flush();
    const next = await poll(`runs=${live.id}&run=${live.id}&key=val.loss&after=4`);
    expect(next.body.series[0]?.steps).toEqual([5, 6]);
    expect(next.body.runs[0]?.status).toBe('running');
    const none = await poll(`runs=${live.id}&run=${live.id}&key=val.loss&after=6`);
    expect(none.body.series[0]?.steps).toEqual([]);
    await live.end('finished');
    const ended = await poll(`runs=${live.id}`);
    expect(ended.body.runs[0]?.status).toBe('finished');
  });

  it('is a 400 for a malformed request and a 404 for an unknown sweep', async () => {
    expect((await poll(`run=${done}&key=val.loss&after=x`)).status).toBe(400);
    expect((await poll(`run=${done}&after=1`)).status).toBe(400);
    expect((await poll(`runs=${encodeURIComponent('"; drop')}`)).status).toBe(400);
    expect((await poll('sweep=nope')).status).toBe(404);
  });

  it("reports a sweep's changes through its signature, and that it stopped being live", async () => {
    const sweepId = await createSweep(store, { name: 's', experiment: 'e', spec: {}, method: 'random', metric: 'val.loss', goal: 'minimize' });
    await addTrials(store, sweepId, [{ number: 0, params: { lr: 0.1 } }]);
    const t = await claimTrial(store, sweepId, 'w1');
    if (t === null) throw new Error('no trial');
    const first = await poll(`sweep=${sweepId}`);
    expect(first.body.sweep?.live).toBe(true);
    const page = await get(app, `/sweeps/${sweepId}`);
    expect(page.text).toContain(`data-sweep-status="${sweepId}"`);
    expect(page.text).toContain('data-live="true"');
    await finishTrial(store, t.id, { state: 'complete', value: 0.5, runId: done });
    await setSweepStatus(store, sweepId, 'finished');
    const last = await poll(`sweep=${sweepId}`);
    expect(last.body.sweep?.sig).not.toBe(first.body.sweep?.sig);
    expect(last.body.sweep?.live).toBe(false);
  });
});

describe('live pages', () => {
  it('marks the run page: a status badge the client updates and the regions it swaps', async () => {
    const run = await createTracker(store).startRun({ experiment: 'e', name: 'page', config: {}, yaml: '', configHash: 'h', seed: 1 });
    run.logMetrics(points(0, 1));
    await run.flush();
    const page = await get(app, `/runs/${run.id}`);
    expect(page.text).toMatch(new RegExp(`data-run-status="${run.id}" data-status="running"`));
    expect(page.text).toContain('id="run-charts" data-live-swap="keys"');
    expect(page.text).toContain('data-live-keys="[&quot;val.loss&quot;]"');
    const compare = await get(app, `/compare?runs=${run.id},${done}`);
    expect(compare.text).toMatch(new RegExp(`data-run-status="${done}" data-status="finished"`));
    expect(compare.text).toContain('id="compare-curves" data-live-swap="keys"');
    await run.end('finished');
  });
});
