// The coordinator: keeps the store's queue supplied with trials (a grid up front; random/tpe/gp one
// proposal per idle worker, from the full history), keeps `parallel` workers alive, requeues the
// trials of dead or silent workers, and stops on the budget or Ctrl-C. Several coordinators may
// serve one sweep (`kiln sweep --join` on other machines): each counts only its own workers as
// idle, tops up the shared queue only when it is empty, and the store's unique (sweep, number)
// keeps two of them from adding the same trial number, so the trial budget holds across machines.
import { addTrials, getSweep, listTrials, requeueStaleTrials, setSweepStatus, type Store, type Trial as StoredTrial } from '@kiln/core';
import { watchLauncher, type StopSignal } from '@kiln/core/store';
import { loadHistory } from './history.ts';
import { trialStaleMs, workerAlive } from './liveness.ts';
import { trialBudget, type SweepPlan } from './plan.ts';
import { WorkerPool } from './pool.ts';
import { proposeParams } from './sample.ts';
import { requeueWorkerTrials } from './store.ts';

export type CoordinatorOutcome = 'finished' | 'interrupted' | 'failed';

export interface CoordinatorOptions {
  store: Store;
  sweepId: string;
  plan: SweepPlan;
  /** Called with the trials after every change of the queue (for the live table). */
  onTrials?: (trials: StoredTrial[]) => void;
  /** Called with a message worth showing (a worker crashed, the budget ran out). */
  onNote?: (text: string) => void;
  /** How often the coordinator looks at the store (ms). */
  tickMs?: number;
  /**
   * Joining a sweep another coordinator started: the sweep's status is left to that one (this one
   * ends when it is no longer `running`), except that it too marks the sweep finished once done.
   */
  join?: boolean;
  /** When the sweep started (ms); its time budget counts from here (default now). */
  startedAt?: number;
  /** Called once with the signal that interrupted the sweep (SIGTERM also when the launching package manager died). */
  onSignal?: (signal: StopSignal) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the sweep to its budget (or an interrupt) and returns how it ended; the sweep status is set accordingly. */
export async function coordinate(opts: CoordinatorOptions): Promise<CoordinatorOutcome> {
  const { store, sweepId, plan } = opts;
  const budget = trialBudget(plan);
  const deadline = plan.budget.maxMinutes === undefined ? Infinity : (opts.startedAt ?? Date.now()) + plan.budget.maxMinutes * 60_000;
  const pool = new WorkerPool(sweepId, store.url);
  const maxCrashes = 3 + 2 * plan.parallel;
  let crashes = 0;
  let interrupted = false;
  // The first signal stops the sweep: workers get SIGTERM, end their trials' runs as killed and give
  // the trials back. A second one kills the workers outright.
  const onSignal = (signal: StopSignal) => () => {
    if (interrupted) pool.signal('SIGKILL');
    else opts.onSignal?.(signal);
    interrupted = true;
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const unwatch = watchLauncher(onSigterm);
  try {
    if (!opts.join) await setSweepStatus(store, sweepId, 'running');
    if (plan.points && !opts.join) await addTrials(store, sweepId, plan.points.slice(0, budget).map((params, number) => ({ number, params })));
    const seen = new Set<string>();
    let outcome: CoordinatorOutcome | null = null;
    while (outcome === null) {
      for (const w of pool.workers) {
        if (w.exit === null || seen.has(w.id)) continue;
        seen.add(w.id);
        const back = await requeueWorkerTrials(store, sweepId, w.id);
        if (w.exit.code !== 0 && !interrupted) {
          crashes++;
          opts.onNote?.(`worker ${w.id} exited (${w.exit.signal ?? `code ${w.exit.code}`})${back > 0 ? `; its trial went back in the queue` : ''}${tailOf(w.stderr())}`);
        }
      }
      if (interrupted) {
        outcome = 'interrupted';
        break;
      }
      const ended = opts.join ? await endedElsewhere(store, sweepId) : null;
      if (ended !== null) {
        outcome = ended;
        break;
      }
      const mine = new Set(pool.alive().map((w) => w.id));
      await requeueLost(store, sweepId, mine);
      let trials = await listTrials(store, sweepId);
      const timeUp = Date.now() >= deadline;
      const myRunning = trials.reduce((n, t) => n + (t.state === 'running' && t.workerId !== null && mine.has(t.workerId) ? 1 : 0), 0);
      const idle = mine.size - myRunning - count(trials, 'queued');
      if (!plan.points && !timeUp && idle > 0 && trials.length < budget) {
        await proposeTrials(store, sweepId, plan, Math.min(idle, budget - trials.length));
        trials = await listTrials(store, sweepId);
      }
      opts.onTrials?.(trials);
      const open = count(trials, 'running') + (timeUp ? 0 : count(trials, 'queued'));
      const toPropose = plan.points || timeUp ? 0 : budget - trials.length;
      if (open === 0 && toPropose <= 0) {
        if (timeUp && count(trials, 'queued') > 0) opts.onNote?.(`time budget of ${plan.budget.maxMinutes} min reached; ${count(trials, 'queued')} queued trials left`);
        outcome = 'finished';
        break;
      }
      if (timeUp) await setSweepStatus(store, sweepId, 'stopping');
      const wanted = timeUp ? 0 : Math.min(plan.parallel, count(trials, 'queued') + myRunning + Math.max(0, toPropose));
      if (crashes > maxCrashes) {
        opts.onNote?.(`workers crashed ${crashes} times; giving up`);
        outcome = 'failed';
        break;
      }
      for (let n = pool.alive().length; n < wanted; n++) pool.start();
      await sleep(opts.tickMs ?? 250);
    }
    // A joined coordinator that stops early leaves the sweep running for the others.
    if (!opts.join || outcome === 'finished') await setSweepStatus(store, sweepId, outcome);
    if (outcome !== 'finished') pool.signal('SIGTERM');
    await pool.drain(30_000);
    // A worker killed before it could give its trial back leaves it running: queue it for a resume.
    for (const w of pool.workers) await requeueWorkerTrials(store, sweepId, w.id);
    opts.onTrials?.(await listTrials(store, sweepId));
    return outcome;
  } finally {
    unwatch();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

function count(trials: readonly StoredTrial[], state: StoredTrial['state']): number {
  return trials.reduce((n, t) => n + (t.state === state ? 1 : 0), 0);
}

function tailOf(stderr: string): string {
  const lines = stderr.trim().split('\n').slice(-6);
  return lines.length === 0 || lines[0] === '' ? '' : `:\n    ${lines.join('\n    ')}`;
}

/** Requeues trials whose worker is gone: silent past the stale timeout, or a dead process on this host. */
async function requeueLost(store: Store, sweepId: string, mine: ReadonlySet<string>): Promise<void> {
  await requeueStaleTrials(store, sweepId, trialStaleMs());
  for (const t of await listTrials(store, sweepId)) {
    if (t.state === 'running' && t.workerId !== null && !mine.has(t.workerId) && !workerAlive(t.workerId)) await requeueWorkerTrials(store, sweepId, t.workerId);
  }
}

/** For a joined coordinator: how the sweep ended when another coordinator ended it, else null. */
async function endedElsewhere(store: Store, sweepId: string): Promise<CoordinatorOutcome | null> {
  const status = (await getSweep(store, sweepId))?.status;
  if (status === 'running' || status === 'stopping') return null;
  return status === 'finished' ? 'finished' : 'interrupted';
}

/**
 * Queues up to `n` new trials of a random, tpe or gp sweep, each proposed from every trial so far (queued
 * ones included), numbered after the highest in the store and below the budget. Another machine's
 * coordinator proposing the same number at once wins or loses on the unique (sweep, number); the
 * loser's proposal is dropped and its next look at the queue decides again.
 */
async function proposeTrials(store: Store, sweepId: string, plan: SweepPlan, n: number): Promise<void> {
  const { stored, trials } = await loadHistory(store, sweepId, plan.metric);
  let next = stored.reduce((m, t) => Math.max(m, t.number + 1), 0);
  const history = [...trials];
  const items: { number: number; params: Record<string, unknown> }[] = [];
  for (let i = 0; i < n && next < trialBudget(plan); i++, next++) {
    const params = proposeParams(plan, history, next);
    if (params === null) break;
    items.push({ number: next, params });
    history.push({ params, state: 'running', number: next });
  }
  await addTrials(store, sweepId, items);
}
