/** The header row of the compare page's side-by-side tables: a label column, then one linked column per run. */
import type { CompareModel } from './data.ts';
import { runLabels } from './charts.ts';

/** `first` names the row labels (metric, param); each run's column links to its page; `baseline` marks that run's column. */
export function RunHeader(props: { first: string; runs: CompareModel['runs']; baseline?: string }) {
  const labels = runLabels(props.runs);
  return (
    <thead>
      <tr>
        <th>{props.first}</th>
        {props.runs.map((r, i) => (
          <th>
            {/* the run's chart colour, painted by client/page-ui.js (the CSP allows no style attribute) */}
            <span class="swatch" data-color-index={String(i)} aria-hidden="true"></span>
            <a href={`/runs/${encodeURIComponent(r.id)}`}>{labels[i]}</a>{' '}
            {/* client/live.js updates the badge while the run is live */}
            <span class={`status status-${r.status}`} data-run-status={r.id} data-status={r.status}>
              {r.status}
            </span>
            {r.id === props.baseline ? <span class="muted baseline-mark"> (baseline)</span> : null}
          </th>
        ))}
      </tr>
    </thead>
  );
}
