import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTrials, claimTrial, createSweep, finishTrial } from '@kiln/core/store';
import { get, hasRawPayload, hostileFixture, XSS, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
let sweepId: string;
beforeAll(async () => {
  f = await hostileFixture();
  sweepId = await createSweep(f.store, { name: XSS, experiment: 'mnist', spec: {}, method: 'random', metric: 'val.loss', goal: 'minimize' });
  const lrs = [0.3, 0.1, 0.03, 0.01, 0.003, 0.001];
  await addTrials(f.store, sweepId, lrs.map((lr, i) => ({ number: i, params: { lr, opt: i % 2 ? 'sgd' : `<i>adam</i>` } })));
  for (const [i, lr] of lrs.entries()) {
    const t = await claimTrial(f.store, sweepId, 'gpu-box-7:4242:w1');
    if (t === null) throw new Error('no trial');
    await finishTrial(f.store, t.id, i === 5 ? { state: 'failed', error: `error[data/missing-value] row 7 has no value in column "${XSS}"` } : { state: 'complete', value: lr * 2, runId: f.plain[i % 3] });
  }
});
afterAll(() => f.store.close());

describe('sweeps', () => {
  it('lists sweeps with progress and best value', async () => {
    const api = JSON.parse((await get(f.app, '/api/sweeps')).text) as { sweeps: { id: string; trials: number; complete: number; best: number }[] };
    expect(api.sweeps[0]).toMatchObject({ id: sweepId, trials: 6, complete: 5, best: 0.006 });
    const page = await get(f.app, '/sweeps');
    expect(page.text).toContain('5/6');
    expect(hasRawPayload(page.text)).toBe(false);
  });

  it('shows trials, best-so-far, parallel coordinates and importance', async () => {
    const r = await get(f.app, `/sweeps/${sweepId}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(r.text).toContain('id="trials"');
    expect(r.text).toContain('id="best-so-far"');
    expect(r.text).toMatch(/id="sweep-parcoords"[^>]*data-expected-series="5"/);
    expect(r.text).toContain('<th>lr</th>');
    // The failed trial says why, escaped like everything a user's data put there.
    expect(r.text).toContain('<summary>why</summary><pre>error[data/missing-value] row 7 has no value in column &quot;');
    const api = JSON.parse((await get(f.app, `/api/sweeps/${sweepId}`)).text) as { bestSoFar: (number | null)[]; importance: { key: string }[] };
    expect(api.bestSoFar).toEqual([0.6, 0.2, 0.06, 0.02, 0.006, 0.006]);
    expect(api.importance[0]?.key).toBe('lr');
    expect((await get(f.app, '/sweeps/nope')).status).toBe(404);
  });

  it('shows the host that ran each trial: its run\'s host, else its worker\'s', async () => {
    const r = await get(f.app, `/sweeps/${sweepId}`);
    expect(r.text).toContain('<th>host</th>');
    const cells = [...r.text.matchAll(/<td data-cell="host">([^<]*)<\/td>/g)].map((m) => m[1]);
    // Trials 0-4 link runs recorded on box-0..2; trial 5 failed before its run, so its worker's host shows.
    expect(cells).toEqual(['box-0', 'box-1', 'box-2', 'box-0', 'box-1', 'gpu-box-7']);
    const api = JSON.parse((await get(f.app, `/api/sweeps/${sweepId}`)).text) as { hosts: Record<string, string> };
    expect(api.hosts['5']).toBe('gpu-box-7');
  });
});
