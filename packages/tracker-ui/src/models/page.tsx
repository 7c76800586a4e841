/** One registered model: its versions with metrics and runs, its aliases, and how its versions' params differ. */
import { Page } from '../layout/page.tsx';
import type { ModelVersion } from '../data/store.ts';
import { fmtNum, fmtValue } from '../util/format.ts';
import { Timestamp } from '../util/time.tsx';
import type { ModelPageData } from './data.ts';
import { Aliases } from './parts.tsx';

/** Metric columns: monitored keys first, then the others sorted. */
function metricKeys(versions: ModelVersion[]): string[] {
  const monitored = new Set(versions.flatMap((v) => (v.monitor ? [v.monitor] : [])));
  const rest = new Set(versions.flatMap((v) => Object.keys(v.metrics)).filter((k) => !monitored.has(k)));
  return [...monitored, ...[...rest].sort()];
}

function Versions(props: { versions: ModelVersion[] }) {
  const keys = metricKeys(props.versions);
  return (
    <table class="grid" id="versions">
      <thead>
        <tr>
          <th class="num">Version</th>
          <th>Aliases</th>
          <th>Run</th>
          {keys.map((k) => (
            <th class="num" title="final: the kept model's value (best logged in the tooltip)">
              {k}
            </th>
          ))}
          <th>Registered</th>
          <th>By</th>
          <th>Description</th>
          <th>Tags</th>
        </tr>
      </thead>
      <tbody>
        {props.versions.map((v) => (
          <tr id={`v${v.version}`}>
            <td class="num">{v.version}</td>
            <td>{v.aliases.join(', ')}</td>
            <td>
              <a href={`/runs/${encodeURIComponent(v.runId)}`}>{v.runId}</a>
            </td>
            {keys.map((k) => (
              <td class="num" title={v.metrics[k] ? `best ${fmtNum(v.metrics[k]?.best)}` : undefined}>
                {fmtNum(v.metrics[k]?.final)}
              </td>
            ))}
            <td>
              <Timestamp ms={v.createdAt} />
            </td>
            <td>{v.createdBy ?? ''}</td>
            <td>{v.description ?? ''}</td>
            <td>
              {Object.entries(v.tags)
                .map(([k, val]) => `${k}=${val}`)
                .join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ParamDiffTable(props: { model: ModelPageData }) {
  const { versions, diff } = props.model;
  if (versions.length < 2) return <p class="empty">One version: nothing to compare yet.</p>;
  if (diff.length === 0) return <p class="empty">Every version was trained with the same params.</p>;
  return (
    <table class="grid" id="version-diff">
      <thead>
        <tr>
          <th>Param</th>
          {versions.map((v) => (
            <th>v{v.version}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr>
            <td>{d.key}</td>
            {versions.map((v) => (
              <td>{v.runId in d.values ? fmtValue(d.values[v.runId]) : '—'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Renders one model. */
export function ModelPage(props: { model: ModelPageData }) {
  const m = props.model;
  return (
    <Page title={`Model ${m.name}`} section="models">
      <h1>
        Model <span id="model-name">{m.name}</span>
      </h1>
      <p>
        {m.versions.length} version{m.versions.length === 1 ? '' : 's'}. <Aliases aliases={Object.entries(m.aliases)} />
      </p>
      <p class="hint">
        Use it with <code>kiln predict {m.name}@VERSION</code> or <code>model.from: {'{'} model: {m.name}@ALIAS {'}'}</code>.
      </p>
      <h2>Versions</h2>
      <Versions versions={m.versions} />
      <h2>Params that differ between versions</h2>
      <ParamDiffTable model={m} />
    </Page>
  );
}
