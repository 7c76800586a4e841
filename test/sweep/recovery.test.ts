// Crashes during a sweep: a worker killed mid-trial, and the coordinator killed with its workers.
import { describe, expect, it } from 'vitest';
import { kilnSweep, onlySweepId, penguinsPipeline, readSweep, startKiln, waitUntil, workerPid, workspace } from './helpers.ts';

const T = 300_000;
/** Long enough per trial (a few seconds) to be caught mid-training. */
const EPOCHS = 150;
const ENV = { KILN_TRIAL_STALE_MS: '4000' };

function gridSweep(parallel: number, n: number): string {
  const values = Array.from({ length: n }, (_, i) => 0.01 + i * 0.005).map((v) => Number(v.toFixed(3)));
  return ['  method: grid', '  metric: val.accuracy', '  goal: maximize', `  parallel: ${parallel}`, '  parameters:', `    train.optimizer.learningRate: { type: values, values: [${values.join(', ')}] }`].join('\n');
}

/** A trial that is running with at least one epoch in the store: its number and worker id. */
async function trialMidTraining(db: string, sweepId: string, after: (n: number) => boolean = () => true) {
  const { trials, runs } = await readSweep(db, sweepId);
  const t = trials.find((x) => x.state === 'running' && after(x.number) && runs.some((r) => r.trialNumber === x.number && r.status === 'running'));
  return t === undefined ? undefined : { number: t.number, workerId: t.workerId };
}

describe('sweep recovery', () => {
  it(
    'kill -9 of a worker mid-trial: the trial is requeued, a replacement worker runs it, the sweep finishes with every trial once',
    async () => {
      const { dir, db } = workspace('kill-worker');
      const file = penguinsPipeline(dir, { epochs: EPOCHS, sweep: gridSweep(2, 3) });
      const coordinator = startKiln(['sweep', file, '--store', db, '--json'], { cwd: dir, env: ENV });
      const sweepId = await waitUntil(() => onlySweepId(db), 60_000, 'the sweep to exist');
      const victim = await waitUntil(() => trialMidTraining(db, sweepId), 120_000, 'a trial mid-training');
      process.kill(workerPid(victim.workerId), 'SIGKILL');
      const code = await coordinator.exited;
      expect(code, coordinator.stderr()).toBe(0);
      const { trials, runs } = await readSweep(db, sweepId);
      expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete']);
      const victimRuns = runs.filter((r) => r.trialNumber === victim.number);
      // The killed attempt stays as a run of its own (never finished); the requeued attempt finished.
      expect(victimRuns).toHaveLength(2);
      expect(victimRuns.filter((r) => r.status === 'finished')).toHaveLength(1);
      expect(trials.find((t) => t.number === victim.number)?.workerId).not.toBe(victim.workerId);
      for (const t of trials.filter((x) => x.number !== victim.number)) expect(runs.filter((r) => r.trialNumber === t.number)).toHaveLength(1);
      expect(JSON.parse(coordinator.stdout()).counts).toMatchObject({ total: 3, complete: 3 });
    },
    T,
  );

  it(
    'resume after kill -9 of the coordinator and its workers repeats no finished trial',
    async () => {
      const { dir, db } = workspace('resume');
      const file = penguinsPipeline(dir, { epochs: EPOCHS, sweep: gridSweep(1, 4) });
      // Its own process group, so one kill -9 takes the coordinator and its workers down together.
      const coordinator = startKiln(['sweep', file, '--store', db, '--json'], { cwd: dir, env: ENV, detached: true });
      const sweepId = await waitUntil(() => onlySweepId(db), 60_000, 'the sweep to exist');
      await waitUntil(() => trialMidTraining(db, sweepId, (n) => n >= 1), 180_000, 'trial 1 mid-training');
      process.kill(-coordinator.proc.pid!, 'SIGKILL');
      await coordinator.exited;
      const before = await readSweep(db, sweepId);
      const finished = before.trials.filter((t) => t.state === 'complete');
      expect(finished.length).toBeGreaterThanOrEqual(1);
      expect(before.trials.some((t) => t.state === 'running')).toBe(true);

      const resumed = await kilnSweep(['sweep', '--resume', sweepId, '--store', db, '--json'], { cwd: dir, env: ENV });
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = await readSweep(db, sweepId);
      expect(after.status).toBe('finished');
      expect(after.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
      for (const t of finished) {
        expect(after.trials.find((x) => x.number === t.number)?.runId).toBe(t.runId);
        expect(after.runs.filter((r) => r.trialNumber === t.number)).toHaveLength(1);
      }
      expect(JSON.parse(resumed.stdout).counts).toMatchObject({ total: 4, complete: 4 });
    },
    T,
  );
});
