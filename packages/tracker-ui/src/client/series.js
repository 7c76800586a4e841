/* global document */
// Pure helpers shared by the chart modules: colors, smoothing, log-safe values (numbers are formatted by @kiln/core/format).

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

/** A distinct color per series index; beyond the palette, hues spread around the wheel. */
export function color(i) {
  return i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 65% 45%)`;
}

/** Debiased exponential moving average (TensorBoard-style); nulls pass through. */
export function smooth(values, weight) {
  if (!(weight > 0)) return values;
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - Math.pow(weight, n));
  });
}

/** Values usable on a log axis: non-positive become null (gaps). */
export function logSafe(values) {
  return values.map((v) => (v === null || v === undefined || v <= 0 ? null : v));
}

/** Reads the JSON spec a chart placeholder points at. */
export function readSpec(el) {
  const block = document.getElementById(el.dataset.spec);
  return JSON.parse(block.textContent);
}
