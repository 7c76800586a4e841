/* global document, URLSearchParams, fetch, ResizeObserver */
// uPlot charts: metric curves fetched from /api/history (sized to the chart), and ready x/y data.
import uPlot from './vendor/uPlot.esm.js';
import { color, cssVar, logSafe, smooth } from './series.js';
import { INT_INCRS, TIME_INCRS, countsOnly, fitLabels, tickLabels, timeLabels } from './ticks.js';
import { X_MODES, xValues } from './x-modes.js';

const HEIGHT = 260;
/** Series with at most this many points, or this many pixels per point, draw markers: one point is no line. */
const FEW_POINTS = 30;
const PX_PER_POINT = 12;

function controls() {
  const s = document.getElementById('smoothing');
  const l = document.getElementById('logscale');
  const x = document.getElementById('xaxis');
  return { smoothing: s ? Number(s.value) : 0, log: l ? l.checked : false, xMode: x && Object.hasOwn(X_MODES, x.value) ? x.value : 'step' };
}

/** Asks for about one point per pixel; the server keeps each bucket's min and max. */
function historyUrl(spec, width) {
  const q = new URLSearchParams();
  for (const s of spec.series) {
    q.append('run', s.run);
    q.append('key', s.key);
  }
  q.set('maxPoints', String(Math.max(50, Math.min(4000, Math.round(width)))));
  return `/api/history?${q}`;
}

/** Axis colours from the page theme (CSS variables), so dark mode charts are readable. */
function themed(axis) {
  const grid = cssVar('--chart-grid', '#e3e6ec');
  return { stroke: cssVar('--chart-text', '#4b5563'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 5 }, ...axis };
}

/**
 * x axis: integer ticks when it counts (xKind 'int': step, epoch; 'auto': when every x is whole, as
 * trial numbers), m:ss for wall time; the y axis is as wide as its labels.
 */
function axes(xLabel, xs, xKind) {
  const ints = xKind === 'int' || (xKind === 'auto' && countsOnly(xs));
  const x = xKind === 'time' ? { values: (u, splits) => timeLabels(splits), incrs: TIME_INCRS } : { values: (u, splits) => tickLabels(splits), ...(ints ? { incrs: INT_INCRS } : {}) };
  return [themed({ label: xLabel, ...x }), themed({ values: (u, splits) => tickLabels(splits), size: fitLabels })];
}

const nonNull = (values) => values.reduce((n, v) => (v === null || v === undefined ? n : n + 1), 0);

/** Markers for short series (a trial pruned after one epoch has a single point), a plain line otherwise. */
function markers(values, width) {
  const n = nonNull(values);
  return { show: n <= FEW_POINTS || width / Math.max(1, n) >= PX_PER_POINT, size: n === 1 ? 8 : 5 };
}

/** A single x (one epoch logged) would get uPlot's 0..100 with the point on its edge: centre it instead. */
function singleX(xs) {
  const finite = xs.filter((v) => v !== null && Number.isFinite(v));
  if (finite.length === 0 || finite.some((v) => v !== finite[0])) return {};
  // half a unit each side: on a counting axis the one tick is the point's own (no step -1)
  return { auto: false, range: [finite[0] - 0.5, finite[0] + 0.5] };
}

function plot(el, data, series, opts) {
  if (el._plot) el._plot.destroy();
  const { log } = controls();
  const width = Math.max(200, el.clientWidth);
  const y = log && opts.allowLog ? { distr: 3 } : {};
  // Scatter points sit on the data's extremes; 5% padding keeps them from being cut at the edges.
  const x = opts.logX
    ? { time: false, distr: 3, range: (u, lo, hi) => [lo / 1.5, hi * 1.5] } // log x (a log-distributed param): padded by a ratio
    : opts.padX ? { time: false, range: (u, lo, hi) => { const d = (hi - lo || Math.abs(hi) || 1) * 0.05; return [lo - d, hi + d]; } } : { time: false, ...singleX(data[0]) };
  el._plot = new uPlot({ width, height: HEIGHT, scales: { x, y }, axes: axes(opts.xLabel, data[0], opts.xKind), series: [{ label: opts.xLabel }, ...series], legend: { live: true } }, data, el);
  el._width = el.clientWidth;
  // legend labels are cut at 32 characters (app.css): the whole name on hover
  for (const label of el.querySelectorAll('.u-legend .u-label')) label.title = label.textContent;
  return series.length;
}

function drawCurves(el) {
  const { smoothing, log, xMode } = controls();
  const raw = el._raw;
  const mode = raw.modes.includes(xMode) ? xMode : 'step';
  const joined = uPlot.join(raw.series.map((s) => [xValues(mode, s, raw.starts[s.run]), s.values]));
  const ys = joined.slice(1).map((v) => smooth(v, smoothing)).map((v) => (log ? logSafe(v) : v));
  const width = Math.max(200, el.clientWidth);
  const series = raw.specs.map((s, i) => {
    const c = color(s.color ?? i);
    return { label: s.label, stroke: c, width: 1.5, spanGaps: true, points: { ...markers(ys[i] ?? [], width), stroke: c, fill: c } };
  });
  el.dataset.xMode = mode;
  // Points logged without an epoch (or wall time) allow steps only: say so.
  const xLabel = mode === xMode ? X_MODES[mode].label : `${X_MODES[mode].label} (no ${X_MODES[xMode].label} on every point: not logged)`;
  return plot(el, [joined[0], ...ys], series, { xLabel, xKind: mode === 'time' ? 'time' : 'int', allowLog: true });
}

/** The first wall time of each run over its fetched series: the wall-time axis's zero where the spec gives no run start. */
function runStarts(series) {
  const starts = {};
  for (const s of series) {
    const t = s.times && s.times.length > 0 ? s.times[0] : undefined;
    if (t !== undefined && (starts[s.run] === undefined || t < starts[s.run])) starts[s.run] = t;
  }
  return starts;
}

/** Fetches and draws overlaid curves; returns the number of series drawn. */
export async function drawLines(el, spec) {
  const res = await fetch(historyUrl(spec, el.clientWidth), { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`history request failed: ${res.status}`);
  const { series } = await res.json();
  setCurves(el, spec, series);
  el._redraw = () => drawCurves(el);
  // live.js appends the points a poll brings (same wire form as /api/history), one entry per spec series.
  el._series = series;
  el._append = (more) => {
    more.forEach((m, i) => {
      const s = el._series[i];
      if (!m || m.steps.length === 0) return;
      // every parallel array of the wire form (steps, values, epochs, times)
      for (const [k, v] of Object.entries(m)) if (Array.isArray(v)) s[k] = (s[k] ?? []).concat(v);
    });
    setCurves(el, spec, el._series);
    drawCurves(el);
  };
  return drawCurves(el);
}

function setCurves(el, spec, series) {
  // Epoch and wall time need them on every point (a downsampled history has them for the points it keeps).
  const modes = Object.keys(X_MODES).filter((m) => series.every((s) => X_MODES[m].available(s)));
  el._raw = { series, specs: spec.series, starts: { ...runStarts(series), ...spec.starts }, modes };
}

/** Draws ready x/y data (scatter when a series has points: true); returns the number of series drawn. */
export async function drawXY(el, spec) {
  const width = Math.max(200, el.clientWidth);
  const series = spec.series.map((s, i) => {
    const c = color(s.color ?? i);
    return s.points
      ? { label: s.label, stroke: c, fill: c, paths: () => null, points: { show: true, size: 8, stroke: c, fill: c } }
      : { label: s.label, stroke: c, width: 2, spanGaps: true, points: { ...markers(s.values, width), stroke: c, fill: c } };
  });
  const scatter = spec.series.every((s) => s.points);
  el._redraw = () => drawXY(el, spec);
  const logX = spec.xLog === true && spec.x.every((v) => v === null || v > 0);
  el.dataset.xLog = String(logX);
  return plot(el, [spec.x, ...spec.series.map((s) => s.values)], series, { xLabel: spec.xLabel, xKind: 'auto', allowLog: false, padX: scatter, logX });
}

/** Redraws a drawn chart when its box changes width (window resize, phone rotation): charts fit their container. */
export function followWidth(el) {
  if (typeof ResizeObserver === 'undefined' || el._following) return;
  el._following = true;
  new ResizeObserver(() => {
    if (el._plot && el._redraw && Math.abs(el.clientWidth - (el._width ?? 0)) > 4) el._redraw();
  }).observe(el);
}
