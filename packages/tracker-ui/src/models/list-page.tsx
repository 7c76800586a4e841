/** The models list: each registered model's latest version, aliases and headline metric. */
import { Page } from '../layout/page.tsx';
import type { ModelSummary } from '../data/store.ts';
import { Timestamp } from '../util/time.tsx';
import { Aliases, headline } from './parts.tsx';

/** Renders every registered model. */
export function ModelsPage(props: { models: ModelSummary[] }) {
  return (
    <Page title="Models" section="models">
      <h1>Models</h1>
      {props.models.length === 0 ? (
        <p class="empty">
          No registered models yet: <code>kiln model register RUN --name NAME</code> adds one.
        </p>
      ) : (
        <table class="grid" id="models">
          <thead>
            <tr>
              <th>Name</th>
              <th class="num">Latest</th>
              <th class="num">Versions</th>
              <th>Aliases</th>
              <th title="the latest version's monitored metric: its kept model's value">Metric (latest)</th>
              <th>Run</th>
              <th>Registered</th>
            </tr>
          </thead>
          <tbody>
            {props.models.map((m) => (
              <tr>
                <td>
                  <a href={`/models/${encodeURIComponent(m.name)}`}>{m.name}</a>
                </td>
                <td class="num">{m.latest.version}</td>
                <td class="num">{m.versions}</td>
                <td>
                  <Aliases aliases={Object.entries(m.aliases)} />
                </td>
                <td>{headline(m.latest)}</td>
                <td>
                  <a href={`/runs/${encodeURIComponent(m.latest.runId)}`}>{m.latest.runId}</a>
                </td>
                <td>
                  <Timestamp ms={m.latest.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
