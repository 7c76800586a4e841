/* global document, getComputedStyle */
// Pure helpers shared by the chart modules: colors, smoothing, log-safe values (numbers are formatted by @kiln/core/format).

/**
 * 20 colours, one per run of a compare page (its maximum). Chosen for a CIELAB distance of at least 27
 * between any two and a contrast of at least 2:1 against both the light and the dark chart background
 * (series.test.ts checks both), so no colour repeats before the 21st run.
 */
export const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f',
  '#8f12e2', '#395def', '#358d61', '#ef39dd', '#a07a22', '#e2127a', '#da784e', '#728d35', '#3982ef', '#b14364',
];

/** The colour of series (or run) number i; beyond the palette, hues spread around the wheel. */
export function color(i) {
  return i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 65% 50%)`;
}

/** A CSS custom property of the page (the theme: light or dark), for what charts draw besides series. */
export function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
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
