import { listRuns, summaryValue, type RunRow } from '@kiln/core/store';
import { fmtDuration, fmtNum, fmtTime } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { EXIT } from '../exit.ts';
import type { Args } from '../options.ts';
import { withQuery, withStore } from '../store.ts';

/** A metric cell: the kept model's value, or the last logged one marked `*` when the run kept no model. */
export function metricCell(r: Pick<RunRow, 'metrics'>, key: string): string {
  const { value, label } = summaryValue(r.metrics[key]);
  return value === null ? '-' : `${fmtNum(value)}${label === 'last' ? '*' : ''}`;
}

/** The metric columns worth showing: final val/test metrics present in any listed run. */
export function metricColumns(runs: RunRow[], max = 6): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.metrics)) if (/^(val|test)\./.test(k)) keys.add(k);
  return [...keys].sort((a, b) => (a.startsWith('test') === b.startsWith('test') ? a.localeCompare(b) : a.startsWith('test') ? 1 : -1)).slice(0, max);
}

/** `kiln runs`: list runs with a filter, sort and limit. */
export async function run(args: Args<'runs'>): Promise<number> {
  const { filter, sort, limit, experiment, json } = args.options;
  const page = await withStore(args, (store) => withQuery({ filter, sort }, () => listRuns(store, { filter, sort, limit, experiment })));
  if (json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return EXIT.ok;
  }
  const metrics = metricColumns(page.runs);
  const rows = page.runs.map((r) => [r.id, r.name, r.experiment, r.status, fmtTime(r.startedAt), fmtDuration(r.durationMs), r.keptEpoch === null ? '-' : String(r.keptEpoch), ...metrics.map((k) => metricCell(r, k))]);
  process.stdout.write(`${renderTable(['id', 'name', 'experiment', 'status', 'started', 'duration', 'kept epoch', ...metrics], rows)}\n`);
  process.stdout.write(`${page.runs.length} of ${page.total} run(s)${metrics.length > 0 ? `; metrics are the kept model's (final)${page.runs.some((r) => metrics.some((k) => metricCell(r, k).endsWith('*'))) ? ', * = last logged (the run kept no model)' : ''}` : ''}\n`);
  return EXIT.ok;
}
