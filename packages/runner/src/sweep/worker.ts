// A sweep worker process: claims trials from the store until the sweep stops running, trains each
// as an ordinary run, heart-beats it, and prunes it on the per-epoch metric against the other
// trials' curves in the store.
import { randomBytes } from 'node:crypto';
import { claimTrial, getSweep, heartbeatTrial, KilnFailure, openStore, type Store, type Trial as StoredTrial } from '@kiln/core';
import { formatErrors } from '../terminal/errors.ts';
import { loadHistory } from './history.ts';
import { planFromStore, trialOverrides, trialPipeline, type SweepPlan } from './plan.ts';
import { locateInPipeline } from '@kiln/core/spec';
import { workerIdFor } from './pool.ts';
import { makePruner } from './pruning.ts';
import type { Pruner } from './pruners/index.ts';
import type { Trial } from './samplers/index.ts';
import { finishOwnTrial, requeueWorkerTrials } from './store.ts';
import { trialStaleMs } from './liveness.ts';
import { keptValue, readEpochMetric } from './metric.ts';

interface WorkerContext {
  store: Store;
  sweepId: string;
  workerId: string;
  plan: SweepPlan;
  pruner: Pruner;
  abort: AbortController;
  /** Set on SIGTERM/SIGINT: abort the trial, give it back, exit. */
  stopping: boolean;
  /** Set when the coordinator died: finish the trial in hand, then exit. */
  orphaned: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This worker's id: host, pid and the coordinator's tag, so the coordinator can tell whether it is alive. */
function ownWorkerId(): string {
  return workerIdFor(process.pid, process.env.KILN_SWEEP_WORKER_TAG ?? randomBytes(3).toString('hex'));
}

/** Runs trials of `sweepId` until the sweep is no longer `running`; returns the exit code. */
export async function runWorker(sweepId: string, storeUrl: string | undefined): Promise<number> {
  const store = await openStore(storeUrl);
  try {
    const sweep = await getSweep(store, sweepId);
    if (sweep === null) throw new Error(`no sweep ${sweepId} in ${store.displayUrl}`);
    const plan = planFromStore(sweep.spec);
    const ctx: WorkerContext = { store, sweepId, workerId: ownWorkerId(), plan, pruner: makePruner(plan), abort: new AbortController(), stopping: false, orphaned: false };
    // The trial's run ends `killed` with the signal as its reason (the coordinator's SIGTERM, or the terminal's SIGINT).
    const stop = (signal: NodeJS.Signals) => {
      ctx.stopping = true;
      ctx.abort.abort(`received ${signal}`);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('disconnect', () => (ctx.orphaned = true));
    await claimLoop(ctx);
    return 0;
  } finally {
    store.close();
  }
}

async function claimLoop(ctx: WorkerContext): Promise<void> {
  while (!ctx.stopping && !ctx.orphaned) {
    const sweep = await getSweep(ctx.store, ctx.sweepId);
    if (sweep?.status !== 'running') return;
    const trial = await claimTrial(ctx.store, ctx.sweepId, ctx.workerId);
    if (trial === null) await sleep(200);
    else await runTrial(ctx, trial);
  }
}

/** Trains one claimed trial and records its outcome (or gives it back when the worker is stopped). */
async function runTrial(ctx: WorkerContext, trial: StoredTrial): Promise<void> {
  const { store, plan } = ctx;
  const built = trialPipeline(plan, trial.params);
  if (!built.ok) {
    const error = formatErrors(built.errors);
    process.stderr.write(`trial ${trial.number}: ${error}\n`);
    await finishOwnTrial(store, trial.id, ctx.workerId, { state: 'failed', value: null, runId: null, error });
    return;
  }
  const curve: Array<[number, number]> = [];
  const beat = setInterval(() => void heartbeatTrial(store, trial.id).catch(() => undefined), Math.max(50, Math.min(5000, trialStaleMs() / 4)));
  try {
    // A k-fold trial is a parent run scored by its folds' mean; its folds are not pruned (run/kfold drops onEpoch).
    const { trainPipelineOrFolds } = await import('../run/kfold/index.ts');
    const result = await trainPipelineOrFolds(built.pipeline, {
      store: store.url,
      quiet: true,
      sweep: { sweepId: ctx.sweepId, trial: trial.number },
      signal: ctx.abort.signal,
      // The worker handles signals itself: abort the trial, give it back to the queue, then exit.
      exitHandlers: false,
      onEpoch: async (epoch, metrics) => {
        const value = readEpochMetric(metrics, plan.metric);
        if (value === undefined) return;
        curve.push([epoch, value]);
        return (await shouldPrune(ctx, trial, curve, epoch)) ? 'stop' : undefined;
      },
    });
    if (result.status === 'killed' && ctx.stopping) {
      await requeueWorkerTrials(store, ctx.sweepId, ctx.workerId);
      return;
    }
    // The objective is the kept model's value (what the trial's run reports and saved), not the curve's best epoch.
    const value = keptValue(result, plan.metric);
    const ok = (result.status === 'finished' || result.status === 'pruned') && value !== null;
    const state = !ok ? 'failed' : result.status === 'pruned' ? 'pruned' : 'complete';
    const error = state === 'failed' ? (result.reason ?? `the run ended ${result.status} with no finite ${plan.metric}`) : undefined;
    if (error !== undefined) process.stderr.write(`trial ${trial.number} failed: ${error}\n`);
    await finishOwnTrial(store, trial.id, ctx.workerId, { state, value: ok ? value : null, runId: result.runId, ...(error === undefined ? {} : { error }) });
  } catch (e) {
    process.stderr.write(`trial ${trial.number} failed: ${(e as Error).stack ?? String(e)}\n`);
    // Bad input (a data or spec problem) prints as the CLI would; anything else as its message.
    const error = e instanceof KilnFailure ? formatErrors(locateInPipeline({ file: plan.file, yaml: plan.yaml, overrides: trialOverrides(plan, trial.params) }, e.errors)) : e instanceof Error ? e.message : String(e);
    if (ctx.stopping) await requeueWorkerTrials(store, ctx.sweepId, ctx.workerId);
    else await finishOwnTrial(store, trial.id, ctx.workerId, { state: 'failed', value: null, runId: null, error });
  } finally {
    clearInterval(beat);
  }
}

/** Asks the pruner about this epoch, with every other trial's curve as the store has it now. */
async function shouldPrune(ctx: WorkerContext, trial: StoredTrial, curve: Array<[number, number]>, epoch: number): Promise<boolean> {
  void heartbeatTrial(ctx.store, trial.id).catch(() => undefined);
  if (ctx.pruner.name === 'none') return false;
  const { trials } = await loadHistory(ctx.store, ctx.sweepId, ctx.plan.metric);
  const self: Trial = { params: trial.params as Trial['params'], state: 'running', number: trial.number, intermediate: curve };
  const all = [...trials.filter((t) => t.number !== trial.number), self];
  return ctx.pruner.shouldPrune(self, epoch, all, ctx.plan.goal);
}
