/**
 * Param importance as a one-way variance split (the correlation ratio η², the single-param term of
 * fANOVA): the share of the objective's variance explained by grouping trials on the param's value.
 * Numeric params with many distinct values are grouped into up to 5 rank bins. Spearman's ρ is
 * reported alongside for numeric params, to show direction.
 */

export interface Importance {
  key: string;
  /** Share of variance explained, 0..1. */
  eta2: number;
  /** Rank correlation with the objective (numeric params only). */
  spearman: number | null;
  groups: number;
}

const BINS = 5;

function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  // Tied values share the mean of their positions.
  for (let i = 0; i < order.length; ) {
    const value = order[i]?.[0];
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.[0] === value) j++;
    for (const [, index] of order.slice(i, j + 1)) r[index] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation of the ranks; null when either side is constant. */
export function spearman(xs: number[], ys: number[]): number | null {
  const [rx, ry] = [ranks(xs), ranks(ys)];
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let [sxy, sxx, syy] = [0, 0, 0];
  rx.forEach((x, i) => {
    // Lists of different lengths have no correlation: NaN, as before the index check.
    const y = ry[i] ?? Number.NaN;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** η² of `ys` grouped by `groups` (one group label per y). */
export function eta2(groups: string[], ys: number[]): number {
  const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
  const total = ys.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (total === 0) return 0;
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => by.set(g, [...(by.get(g) ?? []), ys[i] ?? Number.NaN]));
  let between = 0;
  for (const vals of by.values()) between += vals.length * (vals.reduce((s, v) => s + v, 0) / vals.length - mean) ** 2;
  return between / total;
}

function groupLabels(values: unknown[]): string[] {
  const numeric = values.every((v) => typeof v === 'number');
  if (!numeric || new Set(values).size <= BINS) return values.map((v) => JSON.stringify(v));
  const r = ranks(values as number[]);
  return r.map((x) => String(Math.min(BINS - 1, Math.floor((x / values.length) * BINS))));
}

/** Importance of each param over trials with a value, most important first. */
export function paramImportance(trials: { params: Record<string, unknown>; value: number | null }[]): Importance[] {
  const done = trials.filter((t): t is { params: Record<string, unknown>; value: number } => t.value !== null && Number.isFinite(t.value));
  if (done.length < 3) return [];
  const keys = [...new Set(done.flatMap((t) => Object.keys(t.params)))].sort();
  const ys = done.map((t) => t.value);
  const out = keys.map((key) => {
    const values = done.map((t) => t.params[key]);
    const labels = groupLabels(values);
    const numeric = values.every((v) => typeof v === 'number');
    return { key, eta2: eta2(labels, ys), spearman: numeric ? spearman(values as number[], ys) : null, groups: new Set(labels).size };
  });
  return out.filter((i) => i.groups > 1).sort((a, b) => b.eta2 - a.eta2);
}
