/** Final metric values side by side: the kept model's, a k-fold parent's as mean ± std over its folds. */
import { metricText } from '../runs/columns.ts';
import { stdSuffix } from '../util/mean-std.ts';
import type { CompareModel } from './data.ts';
import { RunHeader } from './run-header.tsx';

/** val.* and test.* before the rest (train.*), each group sorted: what a comparison is usually about first. */
function tableKeys(keys: string[]): string[] {
  const rank = (k: string) => (k.startsWith('val.') ? 0 : k.startsWith('test.') ? 1 : 2);
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One row per metric, one column per run. */
export function MetricTable(props: { model: CompareModel }) {
  const { model } = props;
  return (
    <table class="grid" id="metric-table">
      <RunHeader first="metric" runs={model.runs} />
      <tbody>
        {tableKeys(model.metricKeys).map((key) => (
          <tr>
            <th>{key}</th>
            {model.runs.map((r) => (
              <td class="num">{`${metricText(r.metrics[key])}${stdSuffix(r.metrics, key)}`}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
