/**
 * Metric values side by side, two rows per metric: final (the kept model's; a k-fold parent's mean ± std over its
 * folds) and best (the best epoch logged), each with its signed difference to the baseline run, coloured by whether
 * it is better or worse for the metric's direction (from the metric catalog: loss lower, accuracy higher, ...).
 */
import { metricDirection, type MetricSummary, type RunRow } from '../data/store.ts';
import { fmtNum } from '../util/format.ts';
import { metricText } from '../runs/columns.ts';
import { stdSuffix } from '../util/mean-std.ts';
import { summaryValue } from '../data/store.ts';
import type { CompareModel } from './data.ts';
import { RunHeader } from './run-header.tsx';

/** val.* and test.* before the rest (train.*), each group sorted: what a comparison is usually about first. */
function tableKeys(keys: string[]): string[] {
  const rank = (k: string) => (k.startsWith('val.') ? 0 : k.startsWith('test.') ? 1 : 2);
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

type Which = 'final' | 'best';

/** The value a row shows: final (kept model's, else last logged) or the best any epoch logged. */
function valueOf(m: MetricSummary | undefined, which: Which, key: string): number | null {
  if (m === undefined) return null;
  if (which === 'final') return summaryValue(m).value;
  return metricDirection(key) === 'min' ? m.min : m.max;
}

/** `value - base`, signed, with whether that is better for the metric; null when either is missing. */
export function delta(value: number | null, base: number | null, key: string): { text: string; better: boolean | null; title: string } | null {
  if (value === null || base === null || !Number.isFinite(value) || !Number.isFinite(base)) return null;
  const d = value - base;
  const better = d === 0 ? null : metricDirection(key) === 'min' ? d < 0 : d > 0;
  const pct = base === 0 ? '' : ` (${d >= 0 ? '+' : '−'}${fmtNum(Math.abs((d / base) * 100))}%)`;
  const text = `${d > 0 ? '+' : d < 0 ? '−' : '±'}${fmtNum(Math.abs(d))}`;
  return { text, better, title: `${text}${pct} vs the baseline; ${metricDirection(key) === 'min' ? 'lower' : 'higher'} is better` };
}

function Cell(props: { run: RunRow; base: RunRow | undefined; key_: string; which: Which; isBase: boolean }) {
  const { run, base, key_: key, which } = props;
  const m = run.metrics[key];
  const text = which === 'final' ? `${metricText(m)}${stdSuffix(run.metrics, key)}` : fmtNum(valueOf(m, which, key));
  const d = props.isBase || base === undefined ? null : delta(valueOf(m, which, key), valueOf(base.metrics[key], which, key), key);
  const cls = d === null ? '' : d.better === null ? ' delta-same' : d.better ? ' delta-better' : ' delta-worse';
  return (
    <td class="num">
      {text}
      {d === null ? null : (
        <>
          {' '}
          <span class={`delta${cls}`} title={d.title}>
            {d.text}
          </span>
        </>
      )}
    </td>
  );
}

/** One final and one best row per metric, one column per run; differences are to `model.baseline`. */
export function MetricTable(props: { model: CompareModel }) {
  const { model } = props;
  const base = model.runs.find((r) => r.id === model.baseline);
  return (
    <table class="grid" id="metric-table">
      <RunHeader first="metric" runs={model.runs} baseline={model.baseline} />
      <tbody>
        {tableKeys(model.metricKeys).flatMap((key) =>
          (['final', 'best'] as const).map((which) => (
            <tr data-metric={key} data-value={which} class={which === 'best' ? 'best-row' : undefined}>
              <th>
                {key} <span class="muted">{which}</span>
              </th>
              {model.runs.map((r) => (
                <Cell run={r} base={base} key_={key} which={which} isBase={r.id === model.baseline} />
              ))}
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
