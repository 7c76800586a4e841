import { checkSortKey, filterNamesFolds, listRuns, summaryValue, type RunRow } from '@kiln/core/store';
import { fmtDuration, fmtNum, fmtTime } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { EXIT } from '../exit.ts';
import type { Args } from '../options.ts';
import { withQuery, withStore } from '../store.ts';
import { foldName, withFoldRows } from './folds.ts';

/** A metric cell: the kept model's value, or the last logged one marked `*` when the run kept no model. */
export function metricCell(r: Pick<RunRow, 'metrics'>, key: string): string {
  const { value, label } = summaryValue(r.metrics[key]);
  return value === null ? '-' : `${fmtNum(value)}${label === 'last' ? '*' : ''}`;
}

/** The metric columns worth showing: final val/test metrics present in any listed run. */
export function metricColumns(runs: RunRow[], max = 6): string[] {
  const keys = new Set<string>();
  // `.std`: a k-fold parent's spread beside its mean; kiln show and compare print it as mean ± std
  for (const r of runs) for (const k of Object.keys(r.metrics)) if (/^(val|test)\./.test(k) && !k.endsWith('.std')) keys.add(k);
  return [...keys].sort((a, b) => (a.startsWith('test') === b.startsWith('test') ? a.localeCompare(b) : a.startsWith('test') ? 1 : -1)).slice(0, max);
}

/** `kiln runs`: list runs with a filter, sort and limit. */
export async function run(args: Args<'runs'>): Promise<number> {
  const { filter, sort, limit, experiment, json, folds } = args.options;
  // k-fold children are listed under their parent with --folds, else left out (the parent holds their mean ± std),
  // unless the filter asks for them by name (foldParentId, fold)
  const { page, folded } = await withStore(args, (store) =>
    withQuery({ filter, sort }, async () => {
      // a sort key no run has would leave the order as it was without a word: say so, as the UI does
      if (sort !== undefined) await checkSortKey(store, sort);
      const listed = await listRuns(store, { filter, sort, limit, experiment, hideFolds: !filterNamesFolds(filter) });
      const runs = folds ? await withFoldRows(store, listed.runs) : listed.runs;
      return { page: { ...listed, runs }, folded: runs.length - listed.runs.length };
    }),
  );
  if (json) {
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    return EXIT.ok;
  }
  const metrics = metricColumns(page.runs);
  const rows = page.runs.map((r) => [r.id, foldName(r), r.experiment, r.status, fmtTime(r.startedAt), fmtDuration(r.durationMs), r.keptEpoch === null ? '-' : String(r.keptEpoch), ...metrics.map((k) => metricCell(r, k))]);
  process.stdout.write(`${renderTable(['id', 'name', 'experiment', 'status', 'started', 'duration', 'kept epoch', ...metrics], rows)}\n`);
  process.stdout.write(`${page.runs.length - folded} of ${page.total} run(s)${folded > 0 ? ` (and ${folded} fold runs under their k-fold parents)` : ''}${metrics.length > 0 ? `; metrics are the kept model's (final)${page.runs.some((r) => metrics.some((k) => metricCell(r, k).endsWith('*'))) ? ', * = last logged (the run kept no model)' : ''}` : ''}\n`);
  return EXIT.ok;
}
