/** Groups a run's metric keys into charts: `train.X` and `val.X` share a chart; `test.*` is a table. */
import type { LinesSpec } from '../util/chart.tsx';

const SPLITS = ['train', 'val'];

/** The part after a train./val. prefix, or the key itself. */
function base(key: string): { name: string; split: string | null } {
  const dot = key.indexOf('.');
  if (dot > 0 && SPLITS.includes(key.slice(0, dot))) return { name: key.slice(dot + 1), split: key.slice(0, dot) };
  return { name: key, split: null };
}

/** One lines spec per metric name, train before val; test metrics are left out. `startedAt` is the wall-time axis's zero. */
export function runChartSpecs(runId: string, keys: string[], startedAt?: number): LinesSpec[] {
  const groups = new Map<string, { key: string; label: string }[]>();
  for (const key of [...keys].sort()) {
    if (key.startsWith('test.')) continue;
    const { name, split } = base(key);
    const list = groups.get(name) ?? [];
    list.push({ key, label: split ?? key });
    groups.set(name, list);
  }
  return [...groups].map(([name, series]) => ({
    kind: 'lines',
    title: name,
    ...(startedAt === undefined ? {} : { starts: { [runId]: startedAt } }),
    series: series.sort((a, b) => SPLITS.indexOf(a.label) - SPLITS.indexOf(b.label)).map((s) => ({ run: runId, ...s })),
  }));
}
