/** The sweeps list. */
import { Page } from '../layout/page.tsx';
import type { SweepSummary } from '../data/store.ts';
import { fmtNum } from '../util/format.ts';
import { Timestamp } from '../util/time.tsx';

/** Renders every sweep with progress and best value. */
export function SweepsPage(props: { sweeps: SweepSummary[] }) {
  return (
    <Page title="Sweeps" section="sweeps">
      <h1>Sweeps</h1>
      {props.sweeps.length === 0 ? (
        <p class="empty">No sweeps yet.</p>
      ) : (
        <table class="grid" id="sweeps">
          <thead>
            <tr>
              <th>Name</th>
              <th>Experiment</th>
              <th>Method</th>
              <th>Objective</th>
              <th>Status</th>
              <th class="num">Trials</th>
              <th class="num" title="the best trial's final value: its kept model's, what the sweep scores">Best final</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {props.sweeps.map((s) => (
              <tr>
                <td>
                  <a href={`/sweeps/${encodeURIComponent(s.id)}`}>{s.name}</a>
                </td>
                <td>{s.experiment}</td>
                <td>{s.method}</td>
                <td>
                  {s.goal} {s.metric}
                </td>
                <td>{s.status}</td>
                <td class="num">
                  {s.complete}/{s.trials}
                </td>
                <td class="num">{fmtNum(s.best)}</td>
                <td>
                  <Timestamp ms={s.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
