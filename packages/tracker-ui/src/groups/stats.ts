/** Mean ± std and n of a group's final values, as the tables show them. */
import { meanStd, summaryValue, type RunRow } from '../data/store.ts';
import { fmtNum } from '../util/format.ts';

export interface GroupStat {
  mean: number | null;
  std: number | null;
  n: number;
}

/** The runs' final values of `key` (the kept model's, else the last logged): mean, population std (as k-fold's) and n. */
export function groupStat(runs: RunRow[], key: string): GroupStat {
  const values = runs.flatMap((r) => {
    const v = summaryValue(r.metrics[key]).value;
    return v === null ? [] : [v];
  });
  const { mean, std, n } = meanStd(values);
  return n === 0 ? { mean: null, std: null, n: 0 } : { mean, std, n };
}

/** `mean ± std (n)`; one run shows its value alone, none shows a dash. */
export function statText(s: GroupStat): string {
  if (s.n === 0 || s.mean === null) return fmtNum(null);
  if (s.n === 1) return `${fmtNum(s.mean)} (n=1)`;
  return `${fmtNum(s.mean)} ± ${fmtNum(s.std)} (n=${s.n})`;
}
