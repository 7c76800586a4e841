/** The experiments list: one row per experiment, linking to its runs. */
import { Page } from '../layout/page.tsx';
import { fmtNum } from '../util/format.ts';
import { Timestamp } from '../util/time.tsx';
import type { ExperimentRow } from '../data/store.ts';

/** Renders the experiments table. */
export function ExperimentsPage(props: { rows: ExperimentRow[] }) {
  return (
    <Page title="Experiments" section="experiments">
      <h1>Experiments</h1>
      {props.rows.length === 0 ? (
        <p class="empty">No experiments yet. Train a pipeline to record one.</p>
      ) : (
        <table class="grid" id="experiments">
          <thead>
            <tr>
              <th>Name</th>
              <th class="num">Runs</th>
              <th>Last activity</th>
              <th>Main metric</th>
              <th class="num" title="the best value any epoch of any run logged (its curve's best, not a kept model's final)">Best logged</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((e) => (
              <tr>
                <td>
                  <a href={`/runs?experiment=${encodeURIComponent(e.name)}`}>{e.name}</a>
                </td>
                <td class="num">{e.runCount}</td>
                <td>
                  <Timestamp ms={e.lastActivity} />
                </td>
                <td>
                  {e.metric ?? ''} {e.goal === null ? '' : e.goal === 'minimize' ? '(min)' : '(max)'}
                </td>
                <td class="num">{fmtNum(e.best)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
