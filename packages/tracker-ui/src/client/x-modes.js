// The curve charts' x axis: by step, by epoch or by wall time since the run's first logged row.

/** Points of one epoch spread over (epoch - 1, epoch]: an epoch-level metric sits at its epoch, batches before it. */
function epochPositions(epochs) {
  const out = new Array(epochs.length).fill(null);
  let i = 0;
  while (i < epochs.length) {
    let j = i;
    while (j + 1 < epochs.length && epochs[j + 1] === epochs[i]) j++;
    const n = j - i + 1;
    for (let k = 0; k <= j - i; k++) out[i + k] = epochs[i] === null ? null : epochs[i] - 1 + (k + 1) / n;
    i = j + 1;
  }
  return out;
}

const complete = (arr, n) => Array.isArray(arr) && arr.length === n && arr.every((v) => v !== null && v !== undefined);

/** Each mode: its axis label, whether a fetched series can be drawn by it, and its x values. */
export const X_MODES = {
  step: { label: 'step', available: () => true, x: (s) => s.steps },
  epoch: { label: 'epoch', available: (s) => complete(s.epochs, s.steps.length), x: (s) => epochPositions(s.epochs) },
  time: { label: 'wall time (since start)', available: (s) => complete(s.times, s.steps.length), x: (s, start) => s.times.map((t) => (t - (start ?? s.times[0] ?? 0)) / 1000) },
};

/** The x values of one fetched series (steps, epochs, times) in a mode; `start` is its run's first wall time. */
export function xValues(mode, series, start) {
  return X_MODES[mode].x(series, start);
}
