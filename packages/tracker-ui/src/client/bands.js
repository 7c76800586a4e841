/* global fetch, URLSearchParams */
// Grouped curves (W&B's grouping): per group, the mean of its runs' histories at each step, with a
// band from the minimum to the maximum or of ±1 standard deviation. Runs of a group need not log the
// same steps (downsampled histories keep different points): each run holds its last value up to the
// next point it logged, within its own first..last step, so every step of the group has a value per run.
import uPlot from './vendor/uPlot.esm.js';
import { fmtNum } from '@kiln/core/format';
import { color } from './series.js';

const HEIGHT = 260;

/** Value of a run's sorted (steps, values) at `step`: the last point at or before it; null outside the run's range. */
function holdAt(steps, values, step, from) {
  let i = from;
  while (i + 1 < steps.length && steps[i + 1] <= step) i++;
  if (steps.length === 0 || step < steps[0] || step > steps[steps.length - 1]) return [null, i];
  return [values[i], i];
}

/** Mean, low and high per step of a group's series; exported for the unit test. */
export function aggregate(series, band) {
  const xs = [...new Set(series.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const mean = [];
  const lo = [];
  const hi = [];
  const cursor = series.map(() => 0);
  for (const x of xs) {
    const vals = [];
    series.forEach((s, k) => {
      const [v, i] = holdAt(s.steps, s.values, x, cursor[k]);
      cursor[k] = i;
      if (v !== null && Number.isFinite(v)) vals.push(v);
    });
    if (vals.length === 0) {
      mean.push(null);
      lo.push(null);
      hi.push(null);
      continue;
    }
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    mean.push(m);
    if (band === 'std') {
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
      lo.push(m - sd);
      hi.push(m + sd);
    } else {
      lo.push(Math.min(...vals));
      hi.push(Math.max(...vals));
    }
  }
  return { xs, mean, lo, hi };
}

function fade(c) {
  // palette entries are #rrggbb or hsl(...): a translucent fill of the same hue
  if (c.startsWith('#') && c.length === 7) return `${c}33`;
  return c.replace(/\)$/, ' / 0.2)');
}

/** Fetches every member run's history of spec.key and draws one mean line and band per group; returns the groups drawn. */
export async function drawBands(el, spec) {
  const runs = spec.groups.flatMap((g) => g.runs);
  const maxPoints = String(Math.max(50, Math.min(2000, Math.round(el.clientWidth))));
  // /api/history takes 100 series a request; 20 k-fold parents of 10 folds are 200.
  const chunks = [];
  for (let i = 0; i < runs.length; i += 100) chunks.push(runs.slice(i, i + 100));
  const answers = await Promise.all(
    chunks.map(async (chunk) => {
      const q = new URLSearchParams();
      for (const run of chunk) {
        q.append('run', run);
        q.append('key', spec.key);
      }
      q.set('maxPoints', maxPoints);
      const res = await fetch(`/api/history?${q}`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`history request failed: ${res.status}`);
      return (await res.json()).series;
    }),
  );
  const series = answers.flat();
  let n = 0;
  const parts = spec.groups.map((g) => {
    const members = series.slice(n, n + g.runs.length);
    n += g.runs.length;
    return aggregate(members, spec.band);
  });
  // One x axis for all groups: each group's arrays are joined onto the union of steps (gaps as null).
  const joined = uPlot.join(parts.flatMap((p) => [[p.xs, p.mean], [p.xs, p.lo], [p.xs, p.hi]]));
  const x = joined[0];
  const ys = [];
  const uSeries = [{ label: 'step' }];
  const bands = [];
  spec.groups.forEach((g, i) => {
    const c = color(g.color);
    const at = ys.length + 1;
    ys.push(joined[1 + i * 3], joined[2 + i * 3], joined[3 + i * 3]);
    const bandLabel = spec.band === 'std' ? ['−std', '+std'] : ['min', 'max'];
    uSeries.push(
      { label: `${g.label} (mean, n=${g.runs.length})`, stroke: c, width: 2, spanGaps: true, points: { show: false } },
      { label: `${g.label} ${bandLabel[0]}`, stroke: fade(c), width: 0.5, spanGaps: true, points: { show: false } },
      { label: `${g.label} ${bandLabel[1]}`, stroke: fade(c), width: 0.5, spanGaps: true, points: { show: false } },
    );
    bands.push({ series: [at + 2, at + 1], fill: fade(c) });
  });
  if (el._plot) el._plot.destroy();
  const values = (u, splits) => splits.map((v) => fmtNum(v));
  const width = Math.max(200, el.clientWidth);
  el._plot = new uPlot({ width, height: HEIGHT, scales: { x: { time: false } }, axes: [{ label: 'step', values }, { values, size: 70 }], series: uSeries, bands, legend: { live: true } }, [x, ...ys], el);
  // The legend lists each group's mean; the band's two edges stay out of it (hidden by class: the CSP forbids inline styles).
  el.querySelectorAll('.u-legend .u-series').forEach((row, i) => {
    if (i > 0 && (i - 1) % 3 !== 0) row.classList.add('band-edge');
  });
  el.dataset.groups = JSON.stringify(spec.groups.map((g, i) => ({ label: g.label, n: g.runs.length, lastMean: lastOf(parts[i].mean) })));
  return spec.groups.length;
}

function lastOf(xs) {
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] !== null) return xs[i];
  return null;
}
