// Axis tick labels and sizes for the uPlot charts: one compact format per axis, axes as wide as their labels.

const SI = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
const MAX_DECIMALS = 8;

/** Decimals needed to write x exactly (ticks are multiples of a round increment), at most 8. */
function decimalsOf(x) {
  for (let d = 0; d < MAX_DECIMALS; d++) {
    const scaled = Math.abs(x) * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return MAX_DECIMALS;
}

const fixed = (values) => Math.max(0, ...values.map(decimalsOf));

/**
 * Labels for one axis's ticks, all in one format so they line up: SI suffixes from 10,000 up
 * (5M, 12.5M), scientific below 0.001 (5.0e-4), otherwise the decimals the finest tick needs.
 */
export function tickLabels(splits) {
  const finite = splits.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return splits.map(() => '');
  const maxAbs = Math.max(...finite.map(Math.abs));
  const show = (f) => splits.map((v) => (Number.isFinite(v) ? f(v) : ''));
  if (maxAbs >= 1e4) {
    const [div, suffix] = SI.find(([d]) => maxAbs >= d) ?? [1, ''];
    const d = fixed(finite.map((v) => v / div));
    return show((v) => (v === 0 ? '0' : `${(v / div).toFixed(d)}${suffix}`));
  }
  if (maxAbs > 0 && maxAbs < 1e-3) {
    // Mantissa decimals from the largest tick's exponent, so 5.0e-4 and 1.0e-3 carry the same precision.
    const exp = Math.floor(Math.log10(maxAbs));
    const d = Math.min(4, fixed(finite.map((v) => v / 10 ** exp)));
    return show((v) => (v === 0 ? '0' : v.toExponential(d)));
  }
  const d = fixed(finite);
  return show((v) => v.toFixed(d));
}

/**
 * Seconds since the run's first row, for the wall-time x axis: `12.5s` under a minute, `m:ss` under
 * an hour, `h:mm:ss` beyond.
 */
export function timeLabels(splits) {
  const finite = splits.filter((v) => Number.isFinite(v));
  const max = Math.max(0, ...finite.map(Math.abs));
  const pad = (n) => String(n).padStart(2, '0');
  if (max < 60) {
    const d = fixed(finite);
    return splits.map((v) => (Number.isFinite(v) ? `${v.toFixed(d)}s` : ''));
  }
  return splits.map((v) => {
    if (!Number.isFinite(v)) return '';
    const s = Math.round(Math.abs(v));
    const sign = v < 0 ? '-' : '';
    const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
    return max >= 3600 ? `${sign}${h}:${pad(m)}:${pad(sec)}` : `${sign}${Math.floor(s / 60)}:${pad(sec)}`;
  });
}

/** Whole-number tick increments, for axes that count (step, epoch, trial): no 2.5th trial. */
export const INT_INCRS = [1, 2, 5].flatMap((m) => Array.from({ length: 13 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b);

/** Round increments in seconds for the wall-time axis (milliseconds to days). */
export const TIME_INCRS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** True when every finite x is a whole number, so the axis counts something and takes integer ticks. */
export function countsOnly(xs) {
  let any = false;
  for (const x of xs) {
    if (x === null || x === undefined || !Number.isFinite(x)) continue;
    if (!Number.isInteger(x)) return false;
    any = true;
  }
  return any;
}

/**
 * uPlot's axis size callback for a y axis: the widest label plus tick and gap, measured with the
 * axis font, instead of a fixed width that cut long labels.
 */
export function fitLabels(u, values, axisIdx, cycleNum) {
  const axis = u.axes[axisIdx];
  // uPlot calls this again while it settles the layout; after the first passes keep the size it has.
  if (cycleNum > 1) return axis._size;
  let size = (axis.ticks && axis.ticks.show !== false ? axis.ticks.size : 0) + (axis.gap ?? 5);
  const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
  if (longest !== '') {
    u.ctx.font = axis.font[0];
    size += u.ctx.measureText(longest).width / (globalThis.devicePixelRatio || 1);
  }
  return Math.ceil(size) + 4;
}
