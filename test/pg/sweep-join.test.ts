/**
 * `kiln sweep --join` across machines: one machine starts a random-search sweep in PostgreSQL, two
 * more (each a `kiln sweep --join` in its own working directory) add their workers and their own
 * coordinators. Every trial number runs exactly once, as one run, and the total is the budget.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPgUrl, stopTestCluster } from '../../packages/core/src/store/testing/stores.ts';
import { onlySweepId, penguinsPipeline, readSweep, startKiln, waitUntil, type Kiln } from '../sweep/helpers.ts';

afterAll(stopTestCluster);

const BUDGET = 9;

const machine = () => mkdtempSync(join(tmpdir(), 'kiln-machine-'));

async function finish(k: Kiln, who: string): Promise<{ status: string; counts: Record<string, number> }> {
  const code = await k.exited;
  if (code !== 0) throw new Error(`${who} exited ${code}\n${k.stderr()}`);
  return JSON.parse(k.stdout()) as { status: string; counts: Record<string, number> };
}

describe('kiln sweep --join on PostgreSQL', () => {
  it('three machines share one random sweep: each trial runs once, the budget holds', async () => {
    const url = await freshPgUrl();
    const first = machine();
    const file = penguinsPipeline(first, {
      epochs: 4,
      sweep: [
        '  method: random',
        '  metric: val.accuracy',
        '  goal: maximize',
        '  parallel: 1',
        '  seed: 7',
        `  budget: { trials: ${BUDGET} }`,
        '  parameters:',
        '    train.optimizer.learningRate: { type: logUniform, low: 0.001, high: 0.1 }',
        '    model.layers[0].units: { type: int, low: 4, high: 16 }',
      ].join('\n'),
    });
    const origin = startKiln(['sweep', file, '--store', url, '--json'], { cwd: first });
    const sweepId = await waitUntil(() => onlySweepId(url), 60_000, 'the sweep to be created').catch((e: Error) => {
      throw new Error(`${e.message}\n${origin.stderr()}`);
    });
    // Join once the first trial runs, so the joiners meet a sweep in progress.
    await waitUntil(async () => ((await readSweep(url, sweepId)).trials.some((t) => t.state === 'running') ? true : undefined), 60_000, 'a running trial');
    const joiners = [machine(), machine()].map((cwd) => startKiln(['sweep', '--join', sweepId, '--store', url, '--parallel', '1', '--json'], { cwd }));

    const [a, b, c] = await Promise.all([finish(origin, 'origin'), finish(joiners[0]!, 'joiner 1'), finish(joiners[1]!, 'joiner 2')]);
    expect(a.status).toBe('finished');
    expect([b.status, c.status]).toEqual(['finished', 'finished']);

    const { status, trials, runs } = await readSweep(url, sweepId);
    expect(status).toBe('finished');
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: BUDGET }, (_, n) => n));
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
    // One run per trial: nothing ran twice, nothing beyond the budget.
    expect(runs.map((r) => r.trialNumber).sort((x, y) => (x ?? -1) - (y ?? -1))).toEqual(Array.from({ length: BUDGET }, (_, n) => n));
    // The joiners' workers took trials too (one worker per machine, none restarted).
    expect(new Set(trials.map((t) => t.workerId)).size).toBeGreaterThanOrEqual(2);
    // The store URL never reaches a worker's command line (it would show in `ps`): workers get KILN_STORE.
    expect([origin, ...joiners].map((k) => k.stderr()).join('')).not.toContain(url);
  }, 300_000);

  it('refuses to join a sweep that is not running', async () => {
    const url = await freshPgUrl();
    const cwd = machine();
    const k = startKiln(['sweep', '--join', 'nosuch', '--store', url], { cwd });
    expect(await k.exited).not.toBe(0);
    expect(k.stderr()).toContain('no sweep "nosuch"');
  }, 60_000);
});
