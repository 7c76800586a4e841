/* global document, URLSearchParams, fetch */
// uPlot charts: metric curves fetched from /api/history (sized to the chart), and ready x/y data.
import uPlot from './vendor/uPlot.esm.js';
import { fmtNum } from '@kiln/core/format';
import { color, logSafe, smooth } from './series.js';

const HEIGHT = 260;

function controls() {
  const s = document.getElementById('smoothing');
  const l = document.getElementById('logscale');
  return { smoothing: s ? Number(s.value) : 0, log: l ? l.checked : false };
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

function axes(xLabel) {
  const values = (u, splits) => splits.map((v) => fmtNum(v));
  return [{ label: xLabel, values }, { values, size: 60 }];
}

function plot(el, data, series, opts) {
  if (el._plot) el._plot.destroy();
  const { log } = controls();
  const width = Math.max(200, el.clientWidth);
  const y = log && opts.allowLog ? { distr: 3 } : {};
  // Scatter points sit on the data's extremes; 5% padding keeps them from being cut at the edges.
  const x = opts.padX ? { time: false, range: (u, lo, hi) => { const d = (hi - lo || Math.abs(hi) || 1) * 0.05; return [lo - d, hi + d]; } } : { time: false };
  el._plot = new uPlot({ width, height: HEIGHT, scales: { x, y }, axes: axes(opts.xLabel), series: [{ label: opts.xLabel }, ...series], legend: { live: true } }, data, el);
  return series.length;
}

function drawCurves(el) {
  const { smoothing, log } = controls();
  const raw = el._raw;
  const ys = raw.ys.map((v) => smooth(v, smoothing)).map((v) => (log ? logSafe(v) : v));
  const series = raw.labels.map((label, i) => ({ label, stroke: color(i), width: 1.5, spanGaps: true, points: { show: false } }));
  return plot(el, [raw.x, ...ys], series, { xLabel: 'step', allowLog: true });
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
      // every parallel array of the wire form (steps, values, and whatever else the x axes use)
      for (const [k, v] of Object.entries(m)) if (Array.isArray(v)) s[k] = (s[k] ?? []).concat(v);
    });
    setCurves(el, spec, el._series);
    drawCurves(el);
  };
  return drawCurves(el);
}

function setCurves(el, spec, series) {
  const joined = uPlot.join(series.map((s) => [s.steps, s.values]));
  el._raw = { x: joined[0], ys: joined.slice(1), labels: spec.series.map((s) => s.label) };
}

/** Draws ready x/y data (scatter when a series has points: true); returns the number of series drawn. */
export async function drawXY(el, spec) {
  const series = spec.series.map((s, i) =>
    s.points
      ? { label: s.label, stroke: color(i), fill: color(i), paths: () => null, points: { show: true, size: 8, fill: color(i) } }
      : { label: s.label, stroke: color(i), width: 2, spanGaps: true, points: { show: false } },
  );
  const scatter = spec.series.every((s) => s.points);
  return plot(el, [spec.x, ...spec.series.map((s) => s.values)], series, { xLabel: spec.xLabel, allowLog: false, padX: scatter });
}
