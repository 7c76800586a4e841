import { listRuns, type RunRow } from '@kiln/core';
import { EXIT } from '../main.ts';
import type { ParsedArgs } from '../options.ts';
import { withFilter, withStore } from '../store.ts';
import { fmtDuration, fmtNum, fmtTime, renderTable } from '../table.ts';

/** The metric columns worth showing: final val/test metrics present in any listed run. */
export function metricColumns(runs: RunRow[], max = 6): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.metrics)) if (/^(val|test)\./.test(k)) keys.add(k);
  return [...keys].sort((a, b) => (a.startsWith('test') === b.startsWith('test') ? a.localeCompare(b) : a.startsWith('test') ? 1 : -1)).slice(0, max);
}

/** `kiln runs`: list runs with a filter, sort and limit. */
export async function run(args: ParsedArgs): Promise<number> {
  const o = args.options;
  const page = await withStore(args, (store) =>
    withFilter(o.filter as string | undefined, () => listRuns(store, {
      filter: o.filter as string | undefined,
      sort: o.sort as string | undefined,
      limit: (o.limit as number | undefined) ?? 20,
      experiment: o.experiment as string | undefined,
    })),
  );
  if (o.json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return EXIT.ok;
  }
  const metrics = metricColumns(page.runs);
  const rows = page.runs.map((r) => [r.id, r.name, r.experiment, r.status, fmtTime(r.startedAt), fmtDuration(r.durationMs), ...metrics.map((k) => fmtNum(r.metrics[k]?.last))]);
  process.stdout.write(`${renderTable(['id', 'name', 'experiment', 'status', 'started', 'duration', ...metrics], rows)}\n`);
  process.stdout.write(`${page.runs.length} of ${page.total} run(s)\n`);
  return EXIT.ok;
}
