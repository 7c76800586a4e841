/** Chart specs for the compare page, built from the compare model. */
import { summaryValue, type RunRow } from '../data/store.ts';
import type { BarsSpec, LinesSpec, ParcoordsSpec, XYSpec } from '../util/chart.tsx';
import type { CompareModel } from './data.ts';

/** Run labels: the name, suffixed with the id tail when names repeat. */
export function runLabels(runs: RunRow[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return runs.map((r) => ((counts.get(r.name) ?? 0) > 1 ? `${r.name} (${r.id.slice(-4)})` : r.name));
}

/** One overlaid-curves chart per non-test metric, one series per run. */
export function curveSpecs(m: CompareModel): LinesSpec[] {
  const labels = runLabels(m.runs);
  const starts = Object.fromEntries(m.runs.map((r) => [r.id, r.startedAt]));
  return m.metricKeys
    .filter((k) => !k.startsWith('test.'))
    .map((key) => ({
      kind: 'lines',
      title: key,
      starts,
      // labels has one entry per run; the name is only the type checker's fallback. The colour is the
      // run's place in the page's list, not in this chart: a run missing a metric shifts no other run.
      series: m.runs.flatMap((r, i) => (key in r.metrics ? [{ run: r.id, key, label: labels[i] ?? r.name, color: i }] : [])),
    }));
}

/** The run's summary value: the kept model's (final), else the last logged. */
const finalOf = (r: RunRow, key: string) => summaryValue(r.metrics[key]).value;
const asAxisValue = (v: unknown): number | string | null => (typeof v === 'number' || typeof v === 'string' ? v : v === undefined || v === null ? null : JSON.stringify(v));

/** The chosen param axes then the chosen metric, one line per run. */
export function parcoordsSpec(m: CompareModel): ParcoordsSpec {
  // The model chose the axes (swept or most varying params, or the URL's); a run without a value leaves a gap there.
  const axes: ParcoordsSpec['axes'] = m.axes.chosen.map((key) => ({ label: key, values: m.runs.map((r) => asAxisValue(r.params[key])), ...(m.axes.log.includes(key) ? { log: true } : {}) }));
  axes.push({ label: m.metric, values: m.runs.map((r) => finalOf(r, m.metric)) });
  return { kind: 'parcoords', title: `Params → ${m.metric}`, labels: runLabels(m.runs), axes };
}

/** The chosen param against the chosen metric's final value: one point series per run (its colour), sorted by x. */
export function scatterSpec(m: CompareModel): XYSpec {
  const param = m.params.find((p) => p.key === m.x);
  const labels = runLabels(m.runs);
  const pts = m.runs
    .map((r, i) => ({ i, x: param?.values[i], y: finalOf(r, m.metric) }))
    .filter((p): p is { i: number; x: number; y: number } => typeof p.x === 'number' && p.y !== null)
    .sort((a, b) => a.x - b.x);
  // Series stay in the page's run order (legend as on every other chart); x is sorted, as uPlot needs.
  const series = [...pts.keys()].sort((a, b) => (pts[a]?.i ?? 0) - (pts[b]?.i ?? 0)).map((k) => {
    const p = pts[k] as (typeof pts)[number];
    return { label: labels[p.i] ?? '', color: p.i, points: true, values: pts.map((q, j) => (j === k ? q.y : null)) };
  });
  // A log-distributed param (swept in log space or spanning two decades) reads on a log axis, as in parallel coordinates.
  const xLog = m.axes.log.includes(m.x) && pts.every((p) => p.x > 0);
  return { kind: 'xy', title: `${m.x || '(no numeric param)'} vs ${m.metric}`, xLabel: xLog ? `${m.x} (log)` : m.x, x: pts.map((p) => p.x), series, ...(xLog ? { xLog } : {}) };
}

/** Final-value bars for the chosen metric and every test metric. */
export function barSpecs(m: CompareModel): BarsSpec[] {
  const keys = [...new Set([m.metric, ...m.metricKeys.filter((k) => k.startsWith('test.'))])].filter((k) => k !== '');
  const labels = runLabels(m.runs);
  return keys.map((key) => {
    const lastOnly = m.runs.some((r) => r.metrics[key] !== undefined && summaryValue(r.metrics[key]).label === 'last');
    return { kind: 'bars', title: `final ${key} (kept model)${lastOnly ? '; last logged for runs that kept none' : ''}`, labels, values: m.runs.map((r) => finalOf(r, key)) };
  });
}
