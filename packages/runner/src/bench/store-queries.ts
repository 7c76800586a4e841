/**
 * What `pnpm bench store` and `store-pg` time on a seeded store, side by side for both dialects: the run listing
 * (filter + metric sort, param sort, the UI's default page), the experiments page, a sweep page, a long history.
 */
import { loadavg } from 'node:os';
import { COUNT_BOUND, countRuns, experimentsWithBest, exportRuns, getSweep, listRuns, listSweeps, listTrials, metricHistory, RUN_SET_SAMPLE, runHosts, runSetStats, type Store } from '@kiln/core/store';
import { best, seedRunsBulk } from '@kiln/core/testing';

const FILTER = 'metrics.val.accuracy > 0.5 and (params.train.optimizer.name = "adam" or params.train.lr < 0.01) and status = finished';

/** Seeds `runs` runs (20 params, 10 metrics each; the first 1,000 are one sweep's trials) and prints the time; returns the sweep id. */
export async function seed(store: Store, runs: number): Promise<string> {
  const t0 = performance.now();
  const sweepId = await seedRunsBulk(store, runs, { sweepTrials: Math.min(1000, runs) });
  console.log(`seeded ${runs.toLocaleString('en-US')} runs x 20 params x 10 metrics (a sweep of ${Math.min(1000, runs)} trials among them) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return sweepId;
}

/** The sweep page's reads (tracker-ui sweeps/data.ts): the sweep, its trials, their runs' hosts. */
async function sweepPage(store: Store, sweepId: string): Promise<number> {
  await getSweep(store, sweepId);
  const trials = await listTrials(store, sweepId);
  await runHosts(store, trials.flatMap((t) => (t.runId === null ? [] : [t.runId])));
  return trials.length;
}

function line(label: string, ms: number, note = ''): void {
  console.log(`${label}: ${ms.toFixed(1)} ms${note === '' ? '' : ` (${note})`}`);
}

/** The least CPU time (user + system) this process spent on one of `reps` runs of fn: all of a libsql query, the client's share of a PostgreSQL one. */
async function cpuMs(fn: () => Promise<unknown>, reps = 5): Promise<number> {
  let ms = Infinity;
  for (let i = 0; i < reps; i++) {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    ms = Math.min(ms, (used.user + used.system) / 1000);
  }
  return ms;
}

/** Times the listing, experiments and sweep pages on a store seeded with `runs` runs, printing one line each. */
export async function timeQueries(store: Store, runs: number, sweepId: string): Promise<void> {
  const n = runs.toLocaleString('en-US');
  // wall times stretch on a busy machine: the load says how busy it was, the CPU time what the query itself cost
  console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  // The page as the UI and /api/runs ask for it (folds left out, the total counted up to COUNT_BOUND: "1,000+"), the exact one apart.
  const listFiltered = () => listRuns(store, { filter: FILTER, sort: '-metrics.val.accuracy', limit: 50, hideFolds: true, countBound: COUNT_BOUND });
  const list = await best(listFiltered);
  const shown = `${list.result.total.toLocaleString('en-US')}${list.result.exact ? '' : '+'}`;
  line(`list ${n} runs, filter + sort by metric, page of 50, total bounded (UI, /api/runs)`, list.ms, `total "${shown}", target <= 100 ms; ${(await cpuMs(listFiltered)).toFixed(1)} ms CPU in this process`);
  const exact = await best(() => countRuns(store, { filter: FILTER, hideFolds: true }));
  line(`  exact count of that filter, apart (GET /api/runs/count, after the page is shown)`, exact.ms, `${exact.result.toLocaleString('en-US')} match: every run evaluated`);
  const exactPage = await best(() => listRuns(store, { filter: FILTER, sort: '-metrics.val.accuracy', limit: 50, hideFolds: true }));
  line(`  the same page with the exact total (kiln runs)`, exactPage.ms);
  const inExp = await best(() => listRuns(store, { experiment: 'exp3', hideFolds: true, filter: FILTER, sort: '-metrics.val.accuracy', limit: 50, countBound: COUNT_BOUND }));
  line(`list one experiment's runs (a tenth), same filter and sort, total bounded`, inExp.ms, `total "${inExp.result.total.toLocaleString('en-US')}${inExp.result.exact ? '' : '+'}"`);
  const bounded = (p: { total: number; exact: boolean }) => `total "${p.total.toLocaleString('en-US')}${p.exact ? '' : '+'}"`;
  const ui = await best(() => listRuns(store, { limit: 50, hideFolds: true, countBound: COUNT_BOUND }));
  line(`list ${n} runs, the UI's first page (newest first, folds hidden)`, ui.ms, bounded(ui.result));
  const uiFiltered = await best(() => listRuns(store, { filter: FILTER, limit: 50, hideFolds: true, countBound: COUNT_BOUND }));
  line(`list ${n} runs, the UI's first page with the filter (newest first)`, uiFiltered.ms, bounded(uiFiltered.result));
  const byMetric = await best(() => listRuns(store, { sort: '-metrics.val.accuracy', limit: 50, offset: 100 }));
  line(`list ${n} runs, sort by metric, offset 100`, byMetric.ms);
  const byParam = await best(() => listRuns(store, { sort: 'params.train.lr', limit: 50, offset: 100 }));
  line(`list ${n} runs, sort by param, offset 100`, byParam.ms);
  const exps = await best(() => experimentsWithBest(store));
  line(`experiments page (${exps.result.length} experiments, best of each one's main metric)`, exps.ms);
  const sweeps = await best(() => listSweeps(store));
  line(`sweeps page (${sweeps.result.length} sweep)`, sweeps.ms);
  const sweep = await best(() => sweepPage(store, sweepId));
  line(`sweep page (${sweep.result} trials)`, sweep.ms);
  const stats = await best(() => runSetStats(store, { filter: FILTER, hideFolds: true }));
  line(`runs page default columns: statistics of the filtered set (its newest ${RUN_SET_SAMPLE.toLocaleString('en-US')})`, stats.ms);
  await timeExports(store);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
}

/** Times `kiln export` (and the UI's runs.csv) of the filtered set and of every run, once each: whole-store reads, not pages (MLflow users report 15 minutes for 30,000 runs, mlflow#2730). */
async function timeExports(store: Store): Promise<void> {
  for (const [label, opts] of [['the filtered, metric-sorted runs', { filter: FILTER, sort: '-metrics.val.accuracy' }], ['every run', {}]] as const) {
    const t0 = performance.now();
    const rows = await exportRuns(store, opts);
    line(`export ${label} (kiln export, runs.csv), once`, performance.now() - t0, `${rows.length.toLocaleString('en-US')} runs`);
  }
}

/** Times downsampling the history of `runId`'s `loss` (`points` points) to 1,000 points. */
export async function timeHistory(store: Store, runId: string, points: number): Promise<void> {
  const hist = await best(() => metricHistory(store, runId, 'loss', { points: 1000 }));
  line(`downsample ${points.toLocaleString('en-US')} points to ${hist.result.points.length}`, hist.ms, 'target <= 100 ms');
}
