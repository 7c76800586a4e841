/** k-fold cross-validation on the run page: a parent's folds (linked) with their values and the mean ± std; a fold's parent. */
import { fmtNum } from '../util/format.ts';
import { metricText } from '../runs/columns.ts';
import { summaryValue } from '../data/store.ts';
import type { RunDetail } from './types.ts';

/** The parent's `<key>.std` beside each mean (run/kfold in the runner records both). */
const STD = '.std';

/** val.* then test.* metric keys of the parent, without the .std keys. */
function foldKeys(run: RunDetail): string[] {
  const keys = Object.keys(run.metrics).filter((k) => !k.endsWith(STD));
  return [...keys.filter((k) => k.startsWith('val.')).sort(), ...keys.filter((k) => k.startsWith('test.')).sort()];
}

/** `mean ± std` of a parent's metric (`*` when the parent recorded no final values: a fold did not finish). */
function meanStd(run: RunDetail, key: string): string {
  const std = summaryValue(run.metrics[`${key}${STD}`]).value;
  return std === null ? metricText(run.metrics[key]) : `${metricText(run.metrics[key])} ± ${fmtNum(std)}`;
}

/** A parent's fold table, or a fold's link to its parent; nothing for other runs. */
export function Folds(props: { run: RunDetail }) {
  const { run } = props;
  if (run.foldParentId !== null) {
    return (
      <p id="fold-parent" class="muted">
        Fold {run.fold ?? '?'} of a <a href={`/runs/${encodeURIComponent(run.foldParentId)}`}>k-fold cross-validation parent run</a>.
      </p>
    );
  }
  if (run.folds.length === 0) return null;
  const keys = foldKeys(run);
  return (
    <section id="folds">
      <h2>Cross-validation ({run.folds.length} folds)</h2>
      <p class="muted">Each fold run trains on the other folds and validates on its own; all are tested on the same held-out rows. The parent's values are the mean ± standard deviation over the folds.</p>
      <table class="grid" id="fold-table">
        <thead>
          <tr>
            <th>fold</th>
            <th>run</th>
            <th>status</th>
            {keys.map((k) => (
              <th>{k}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {run.folds.map((f) => (
            <tr>
              <td>{String(f.fold ?? '')}</td>
              <td>
                <a href={`/runs/${encodeURIComponent(f.id)}`}>{f.name}</a>
              </td>
              <td>
                <span class={`status status-${f.status}`} data-run-status={f.id} data-status={f.status}>
                  {f.status}
                </span>
              </td>
              {keys.map((k) => (
                <td>{metricText(f.metrics[k])}</td>
              ))}
            </tr>
          ))}
          <tr id="folds-mean">
            <th>mean ± std</th>
            <td />
            <td />
            {keys.map((k) => (
              <td>{meanStd(run, k)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
