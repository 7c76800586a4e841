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

/** Maps an axis's values to 0..1 (numbers linearly, strings as evenly spaced categories). */
function scaler(values) {
  const nums = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (nums.length === values.filter((v) => v !== null).length && nums.length > 0) {
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    return { at: (v) => (v === null ? null : hi === lo ? 0.5 : (v - lo) / (hi - lo)), ticks: [[0, fmtNum(lo)], [1, fmtNum(hi)]] };
  }
  const cats = [...new Set(values.filter((v) => v !== null).map(String))].sort();
  const at = (v) => (v === null ? null : cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1));
  return { at, ticks: cats.map((c) => [at(c), c]) };
}

/** One polyline per run across param axes ending at the metric; returns the number of lines. */
export async function drawParcoords(el, spec) {
  const width = Math.max(300, el.clientWidth);
  const height = 300;
  const pad = { l: 16, r: 16, t: 34, b: 20 };
  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'parcoords' });
  const n = spec.axes.length;
  const xAt = (i) => pad.l + (n === 1 ? 0 : (i * (width - pad.l - pad.r)) / (n - 1));
  const yAt = (f) => pad.t + (1 - f) * (height - pad.t - pad.b);
  const scales = spec.axes.map((a) => scaler(a.values));
  let lines = 0;
  spec.labels.forEach((label, r) => {
    const pts = spec.axes.map((a, i) => [xAt(i), scales[i].at(a.values[r])]).filter((p) => p[1] !== null);
    if (pts.length < 2) return;
    const line = svgEl('polyline', { points: pts.map(([x, f]) => `${x},${yAt(f)}`).join(' '), stroke: color(r), fill: 'none', 'stroke-width': 2, 'data-series': r });
    line.appendChild(svgEl('title', {}, label));
    svg.appendChild(line);
    lines++;
  });
  // Edge axes anchor their text inward so labels stay inside the chart.
  const anchor = (i) => (n > 1 && i === n - 1 ? 'end' : i === 0 ? 'start' : 'middle');
  spec.axes.forEach((a, i) => {
    const x = xAt(i);
    const side = anchor(i) === 'end' ? -5 : 5;
    svg.appendChild(svgEl('line', { x1: x, x2: x, y1: yAt(0), y2: yAt(1), class: 'axis' }));
    svg.appendChild(svgEl('text', { x, y: 14, 'text-anchor': anchor(i), class: 'axis-label' }, a.label));
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
