/** The compare model: the chosen runs in order, every param with a differs flag, metric keys and choices. */
import { HTTPException } from 'hono/http-exception';
import { getSweep, listRuns, paramDiff, type RunRow, type Store } from '../data/store.ts';
import { chooseAxes, sweptSpace, type AxisChoice } from '../util/axes.tsx';
import { withoutStdKeys } from '../util/mean-std.ts';
import { splitSystemKeys } from '../system/keys.ts';

export const MIN_RUNS = 2;
export const MAX_RUNS = 20;
const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface CompareModel {
  runs: RunRow[];
  params: { key: string; values: unknown[]; differs: boolean }[];
  /** Metric keys any run logged, sorted; a k-fold parent's `.std` keys are not among them (shown with their mean). */
  metricKeys: string[];
  /** System metrics (sys/*) any run logged: their own section, never a table row or the default metric. */
  systemKeys: string[];
  /** The metric for parallel coordinates, scatter and bars. */
  metric: string;
  /** The param on the scatter's x axis ('' when no param differs): the URL's, else the first numeric default axis. */
  x: string;
  /** Parallel-coordinates axes: the URL's choice (`axes`), else the swept params, else the most varying ones. */
  axes: AxisChoice;
  /** The run the metric table's differences are to (`baseline`, default the first run). */
  baseline: string;
}

/** What the URL may choose on the compare page besides the runs. */
export interface CompareChoices {
  metric?: string;
  x?: string;
  axes?: string[];
  baseline?: string;
}

/** The search spaces of the sweeps the runs are trials of, merged (a key is log when any sweep draws it in log space). */
async function sweptOf(store: Store, runs: RunRow[]): Promise<Record<string, { log: boolean }>> {
  const out: Record<string, { log: boolean }> = {};
  for (const id of new Set(runs.flatMap((r) => (r.sweepId === null ? [] : [r.sweepId])))) {
    const sweep = await getSweep(store, id);
    for (const [k, v] of Object.entries(sweptSpace(sweep?.spec))) out[k] = { log: (out[k]?.log ?? false) || v.log };
  }
  return out;
}

/** Loads 2-20 runs by id (400 outside that range or for malformed ids, 404 for unknown ones). */
export async function loadCompare(store: Store, ids: string[], choices: CompareChoices = {}): Promise<CompareModel> {
  const { metric, x } = choices;
  if (ids.length < MIN_RUNS || ids.length > MAX_RUNS) {
    throw new HTTPException(400, { message: `Compare needs ${MIN_RUNS} to ${MAX_RUNS} runs; got ${ids.length}` });
  }
  const bad = ids.find((id) => !RUN_ID.test(id));
  if (bad !== undefined) throw new HTTPException(400, { message: `Not a run id: ${bad}` });
  // Ids are checked above, so quoting them into the filter language is safe.
  const page = await listRuns(store, { filter: `id in (${ids.map((id) => `"${id}"`).join(', ')})`, limit: MAX_RUNS });
  const byId = new Map(page.runs.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new HTTPException(404, { message: `No run with id ${missing.join(', ')}` });
  const runs = ids.map((id) => byId.get(id) as RunRow);
  const differing = new Set((await paramDiff(store, ids)).map((d) => d.key));
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const params = keys.map((key) => ({ key, values: runs.map((r) => r.params[key]), differs: differing.has(key) }));
  const { model: metricKeys, system: systemKeys } = splitSystemKeys(withoutStdKeys([...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort()));
  const chosen = metric !== undefined && metricKeys.includes(metric) ? metric : defaultMetric(metricKeys);
  const axes = chooseAxes(runs.map((r) => r.params), choices.axes ?? [], await sweptOf(store, runs));
  const numericAxis = axes.chosen.find((k) => runs.every((r) => r.params[k] === undefined || typeof r.params[k] === 'number'));
  const xKey = x !== undefined && params.some((p) => p.key === x) ? x : (numericAxis ?? axes.chosen[0] ?? '');
  const baseline = choices.baseline !== undefined && ids.includes(choices.baseline) ? choices.baseline : (ids[0] ?? '');
  return { runs, params, metricKeys, systemKeys, metric: chosen, x: xKey, axes, baseline };
}

function defaultMetric(keys: string[]): string {
  return keys.find((k) => k === 'val.accuracy') ?? keys.find((k) => k === 'val.loss') ?? keys.find((k) => k.startsWith('val.')) ?? keys[0] ?? '';
}
