/* global document */
// SVG charts uPlot does not draw: parallel coordinates and bars. Text goes in via textContent only.
import { fmtNum } from '@kiln/core/format';
import { color } from './series.js';

const NS = 'http://www.w3.org/2000/svg';

function svgEl(name, attrs, text) {
  const n = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Log-axis ticks: the ends plus every power of ten between them. */
function logTicks(lo, hi, at) {
  const ticks = [[0, fmtNum(lo)], [1, fmtNum(hi)]];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) {
    const f = at(10 ** e);
    if (f > 0.08 && f < 0.92) ticks.push([f, fmtNum(10 ** e)]);
  }
  return ticks;
}

/**
 * Maps an axis's values to 0..1: numbers linearly, or by their logarithm on a `log` axis whose values are all
 * positive; strings as evenly spaced categories. A null value maps to null: the run has no value on this axis.
 */
function scaler(axis) {
  const { values } = axis;
  const nums = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (nums.length === values.filter((v) => v !== null && v !== undefined).length && nums.length > 0) {
    const log = axis.log === true && nums.every((v) => v > 0);
    const t = log ? Math.log10 : (v) => v;
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const [tlo, thi] = [t(lo), t(hi)];
    const at = (v) => (v === null || v === undefined ? null : thi === tlo ? 0.5 : (t(v) - tlo) / (thi - tlo));
    return { at, log, ticks: log ? logTicks(lo, hi, at) : [[0, fmtNum(lo)], [1, fmtNum(hi)]] };
  }
  const cats = [...new Set(values.filter((v) => v !== null && v !== undefined).map(String))].sort();
  const at = (v) => (v === null || v === undefined ? null : cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1));
  return { at, log: false, ticks: cats.map((c) => [at(c), c]) };
}

/** A run's line as runs of consecutive axes with a value: an axis without one breaks the line (a gap, not a fake value). */
function segments(points) {
  const out = [];
  let cur = [];
  for (const p of points) {
    if (p === null) {
      if (cur.length > 0) out.push(cur);
      cur = [];
    } else cur.push(p);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** One line per run (a group of segments where it has gaps) across param axes ending at the metric; returns the number of runs drawn. */
export async function drawParcoords(el, spec) {
  const width = Math.max(300, el.clientWidth);
  const height = 300;
  const pad = { l: 16, r: 16, t: 34, b: 20 };
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'parcoords' });
  const n = spec.axes.length;
  const xAt = (i) => pad.l + (n === 1 ? 0 : (i * (width - pad.l - pad.r)) / (n - 1));
  const yAt = (f) => pad.t + (1 - f) * (height - pad.t - pad.b);
  const scales = spec.axes.map(scaler);
  const colorOf = (r) => (Array.isArray(spec.colors) && spec.colors[r]) || color(r);
  let lines = 0;
  spec.labels.forEach((label, r) => {
    const pts = spec.axes.map((a, i) => {
      const f = scales[i].at(a.values[r]);
      return f === null ? null : [xAt(i), yAt(f)];
    });
    const parts = segments(pts);
    if (parts.length === 0) return;
    const g = svgEl('g', { class: 'run', 'data-series': r, 'data-gaps': pts.filter((p) => p === null).length });
    g.appendChild(svgEl('title', {}, label));
    for (const part of parts) {
      // a value between two gaps is a dot: there is no neighbour to draw a segment to
      if (part.length === 1) g.appendChild(svgEl('circle', { cx: part[0][0], cy: part[0][1], r: 3, fill: colorOf(r) }));
      else g.appendChild(svgEl('polyline', { points: part.map(([x, y]) => `${x},${y}`).join(' '), stroke: colorOf(r), fill: 'none', 'stroke-width': 2 }));
    }
    svg.appendChild(g);
    lines++;
  });
  // Edge axes anchor their text inward so labels stay inside the chart.
  const anchor = (i) => (n > 1 && i === n - 1 ? 'end' : i === 0 ? 'start' : 'middle');
  spec.axes.forEach((a, i) => {
    const x = xAt(i);
    const side = anchor(i) === 'end' ? -5 : 5;
    svg.appendChild(svgEl('line', { x1: x, x2: x, y1: yAt(0), y2: yAt(1), class: 'axis' }));
    svg.appendChild(svgEl('text', { x, y: 14, 'text-anchor': anchor(i), class: 'axis-label', 'data-log': String(scales[i].log) }, scales[i].log ? `${a.label} (log)` : a.label));
    for (const [f, t] of scales[i].ticks) {
      svg.appendChild(svgEl('text', { x: x + side, y: yAt(f) + (f > 0.5 ? 12 : -4), 'text-anchor': side < 0 ? 'end' : 'start', class: 'tick' }, t));
    }
  });
  el.replaceChildren(svg);
  return lines;
}

/** Horizontal bars of final values, one per run; returns the number of bars. */
export async function drawBars(el, spec) {
  const rowH = 22;
  const width = Math.max(300, el.clientWidth);
  const labelW = Math.min(180, width / 3);
  const height = spec.labels.length * rowH + 10;
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bars' });
  const nums = spec.values.filter((v) => v !== null);
  const max = Math.max(...nums.map(Math.abs), 1e-12);
  let bars = 0;
  spec.labels.forEach((label, i) => {
    const v = spec.values[i];
    const y = 5 + i * rowH;
    svg.appendChild(svgEl('text', { x: labelW - 6, y: y + 14, 'text-anchor': 'end', class: 'tick' }, label));
    if (v === null) return;
    const w = Math.max(1, (Math.abs(v) / max) * (width - labelW - 70));
    svg.appendChild(svgEl('rect', { x: labelW, y, width: w, height: rowH - 6, fill: color(i), 'data-series': i }));
    svg.appendChild(svgEl('text', { x: labelW + w + 4, y: y + 14, class: 'tick' }, fmtNum(v)));
    bars++;
  });
  el.replaceChildren(svg);
  return bars;
}
