/**
 * k-fold cross-validation (`data.split.folds: K`): one parent run and K child runs, fold i validated on fold i and
 * trained on the others, all tested on the same held-out rows. The parent records each metric's mean over the folds
 * (under the metric's own key, so sorting, filters, compare and sweeps read the mean) and its standard deviation
 * (`<key>.std`); its status follows the children.
 */
import { join } from 'node:path';
import type { ResolvedPipeline } from '@kiln/core';
import { installExitHandlers, openStore, SIGNAL_EXIT, summarizeFolds, type RunHandle, type StopSignal, type Store } from '@kiln/core/store';
import { runtimeOptions, selectBackend } from '../../backend/select.ts';
import type { FoldOutcome, RunResult, RunStatus } from '../result.ts';
import { startTrackedRun } from '../tracking.ts';
import { trainPipeline, type TrainOptions } from '../train-pipeline.ts';
import { foldPipeline, isKFoldParent } from './spec.ts';
import { foldReport } from './table.ts';

export { isKFoldParent } from './spec.ts';

/** Trains a pipeline: its folds under a parent run when it cross-validates (data.split.folds), else one run. */
export function trainPipelineOrFolds(pipeline: ResolvedPipeline, opts: TrainOptions = {}): Promise<RunResult> {
  return isKFoldParent(pipeline.spec) ? trainKFold(pipeline, opts) : trainPipeline(pipeline, opts);
}

/** Runs every fold as a child of one parent run and records the folds' mean and standard deviation on the parent. */
export async function trainKFold(pipeline: ResolvedPipeline, opts: TrainOptions = {}): Promise<RunResult> {
  const k = pipeline.spec.data.split.folds ?? 0;
  const { runtime } = pipeline.spec;
  const backend = await selectBackend(runtime.backend, runtimeOptions(runtime));
  const started = performance.now();
  const stop = new AbortController();
  let received: StopSignal | undefined;
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let store: Store | undefined;
  let parent: RunHandle | undefined;
  let removeHandlers = () => {};
  try {
    store = await openStore(opts.store);
    parent = await startTrackedRun({ store, pipeline, backend, dataFingerprint: null, ...(opts.sweep ? { sweep: opts.sweep } : {}) });
    await parent.setTag('kiln.folds', String(k));
    parent.onStopRequest((why) => stop.abort(why));
    // Children leave signals to the parent: a signal stops the fold in progress (ended killed), then the parent ends killed.
    if (opts.exitHandlers !== false) removeHandlers = installExitHandlers(parent, { stop: (sig) => stop.abort(`received ${(received = sig)}`) });
    const folds = await runFolds(pipeline, parent, k, { ...opts, signal });
    const result = await endParent(parent, folds, k, (performance.now() - started) / 1000, store.artifactsIn === 'store' ? `in the store (${store.displayUrl})` : join(store.artifactsDir, parent.id));
    if (opts.quiet !== true && opts.json !== true) process.stdout.write(`\n${foldReport(result, k)}\n`);
    return result;
  } catch (err) {
    if (parent && !parent.ended) await parent.end('failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  } finally {
    removeHandlers();
    store?.close();
    if (received) process.exit(SIGNAL_EXIT[received]);
  }
}

/** Trains fold 1..k in turn, logging the running mean and std on the parent after each; stops at the first fold that does not finish. */
async function runFolds(pipeline: ResolvedPipeline, parent: RunHandle, k: number, opts: TrainOptions): Promise<FoldOutcome[]> {
  const folds: FoldOutcome[] = [];
  const say = (text: string) => (opts.quiet === true || opts.json === true ? undefined : process.stderr.write(`${text}\n`));
  for (let fold = 1; fold <= k; fold++) {
    say(`\nfold ${fold}/${k} (parent run ${parent.id})`);
    const { onEpoch: _pruning, sweep: _trial, ...childOpts } = opts; // a fold is neither a sweep trial nor pruned on its own
    let child: RunResult;
    try {
      child = await trainPipeline(foldPipeline(pipeline, fold), { ...childOpts, exitHandlers: false, foldOf: { parentId: parent.id, fold } });
    } catch (err) {
      // The fold's run is already marked failed; the parent says which fold, and the error goes on as it is (located by the CLI).
      await parent.end('failed', `fold ${fold} of ${k} failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    folds.push({ fold, runId: child.runId, status: child.status, ...(child.reason ? { reason: child.reason } : {}), metrics: child.metrics });
    parent.logMetrics(summaryPoints(folds, fold));
    await parent.flush();
    if (child.status !== 'finished') break;
  }
  return folds;
}

/** The folds' kept values as store keys (`val.accuracy`, `test.f1`, ...). */
function flatValues(f: FoldOutcome): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [split, values] of Object.entries(f.metrics)) for (const [key, v] of Object.entries(values)) out[`${split}.${key}`] = v;
  return out;
}

/** Mean and std so far, as points at step = folds done, so a parent that stops early keeps what its folds measured. */
function summaryPoints(folds: FoldOutcome[], step: number) {
  const finished = folds.filter((f) => f.status === 'finished');
  return Object.entries(summarizeFolds(finished.map(flatValues))).map(([key, value]) => ({ key, step, value }));
}

/** The parent's status: finished when every fold finished; else the first unfinished fold's status, with why. */
function parentOutcome(folds: FoldOutcome[], k: number): { status: RunStatus; reason?: string } {
  const bad = folds.find((f) => f.status !== 'finished');
  if (bad) return { status: bad.status, reason: `fold ${bad.fold} of ${k} ${bad.status}${bad.reason ? `: ${bad.reason}` : ''}` };
  return { status: 'finished' };
}

async function endParent(parent: RunHandle, folds: FoldOutcome[], k: number, seconds: number, artifactsDir: string): Promise<RunResult> {
  const outcome = parentOutcome(folds, k);
  const summary = summarizeFolds(folds.filter((f) => f.status === 'finished').map(flatValues));
  // Only a parent whose every fold finished records final values; otherwise the summary stays "last logged" (shown with *).
  if (outcome.status === 'finished') await parent.recordKept(null, summary);
  await parent.end(outcome.status, outcome.reason);
  const metrics: RunResult['metrics'] = { train: {}, val: {}, test: {} };
  for (const [key, v] of Object.entries(summary)) {
    const dot = key.indexOf('.');
    const split = key.slice(0, dot);
    if (split === 'train' || split === 'val' || split === 'test') metrics[split][key.slice(dot + 1)] = v;
  }
  return { runId: parent.id, ...outcome, bestEpoch: 0, monitor: '', restored: false, epochs: 0, seconds, epochSeconds: [], metrics, artifactsDir, folds };
}
