import { getRun, paramDiff } from '@kiln/core/store';
import { metricDirection } from '@kiln/core/catalog';
import { EXIT } from '../exit.ts';
import type { Args } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';
import { fmtNum } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { metricCell } from './runs.ts';
import { isFoldParent, meanStdCell } from './folds.ts';
import { perClassRows, readClassReports } from './show-class-report.ts';

/** `kiln compare RUN RUN...`: params that differ, then the kept model's (final) and the best epoch's metrics side by side. */
export async function run(args: Args<'compare'>): Promise<number> {
  const { runs, diffs, reports } = await withStore(args, async (store) => {
    const ids = await Promise.all(args.positionals.map((p) => resolveRunId(store, p)));
    const runs = (await Promise.all(ids.map((id) => getRun(store, id)))).filter((r) => r !== null);
    return { runs, diffs: await paramDiff(store, ids), reports: await Promise.all(runs.map((r) => readClassReports(store, r.artifacts))) };
  });
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify({ runs, paramDiff: diffs }, null, 2)}\n`);
    return EXIT.ok;
  }
  const head = ['', ...runs.map((r) => `${r.name} ${r.id.slice(0, 8)}`)];
  const paramRows = diffs.map((d) => [d.key, ...runs.map((r) => fmtNum(d.values[r.id]))]);
  // A k-fold parent's `<key>.std` is shown with its mean (mean ± std), not as a metric of its own.
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].filter((k) => /^(val|test|train)\./.test(k) && !k.endsWith('.std')).sort();
  const metricRows = [
    ['kept epoch', ...runs.map((r) => (r.keptEpoch === null ? '-' : String(r.keptEpoch)))],
    ...keys.flatMap((k) => [
      [`${k} (final)`, ...runs.map((r) => meanStdCell(r, k) ?? metricCell(r, k))],
      ...(k.startsWith('test.') ? [] : [[`${k} (best epoch, ${metricDirection(k)})`, ...runs.map((r) => (isFoldParent(r) ? '-' : fmtNum(r.metrics[k]?.[metricDirection(k)])))]]),
    ]),
    ...perClassRows(reports),
  ];
  const out = [`status: ${runs.map((r) => r.status).join(' | ')}`, ''];
  out.push(paramRows.length ? renderTable(['param (differs)', ...head.slice(1)], paramRows) : 'all params are equal', '');
  if (keys.length) out.push(renderTable(['metric', ...head.slice(1)], metricRows), "final: the kept model's value (a k-fold parent's: mean ± std over its folds); * = last logged (the run kept no model)");
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
