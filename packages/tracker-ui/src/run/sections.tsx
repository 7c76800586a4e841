/** Small sections of the run page: key/value tables, provenance, artifacts, the confusion matrix. */
import { fmtValue } from '../util/format.ts';
import { fmtUtc } from '../util/time.tsx';
import type { Confusion } from './confusion.ts';
import type { RunDetail } from './types.ts';

/** A two-column table of keys and display values. */
export function KeyValues(props: { id: string; rows: [string, unknown][] }) {
  if (props.rows.length === 0) return <p class="empty">None.</p>;
  return (
    <table class="kv" id={props.id}>
      <tbody>
        {props.rows.map(([k, v]) => (
          <tr>
            <th>{k}</th>
            <td>{fmtValue(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where and how the run was produced. */
export function provenanceRows(run: RunDetail): [string, unknown][] {
  const rows: [string, unknown][] = [
    ['experiment', run.experiment],
    ['started', fmtUtc(run.startedAt)],
    ['ended', fmtUtc(run.endedAt)],
    ['seed', run.seed],
    ['config hash', run.configHash],
    ['data fingerprint', run.dataFingerprint],
    ['git commit', run.gitCommit === null ? null : `${run.gitCommit}${run.gitDirty ? ' (dirty)' : ''}`],
    // runs started from user code (startRun) record their script here instead of a pipeline file
    ['source', run.tags['kiln.source']],
    ['host', run.host],
    ['os', run.os],
    ['node', run.nodeVersion],
    ['tfjs', run.tfjsVersion === null ? null : `${run.tfjsVersion} (${run.tfjsBackend ?? '?'})`],
    ['kiln', run.kilnVersion],
    ['sweep', run.sweepId === null ? null : `${run.sweepId} trial ${run.trialNumber ?? '?'}`],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
}

/** Download links; the href path segments are encoded, the text escaped by JSX. */
export function Artifacts(props: { run: RunDetail }) {
  if (props.run.artifacts.length === 0) return <p class="empty">No artifacts.</p>;
  return (
    <table class="grid" id="artifacts">
      <thead>
        <tr>
          <th>File</th>
          <th>Kind</th>
          <th class="num">Bytes</th>
          <th>sha256</th>
        </tr>
      </thead>
      <tbody>
        {props.run.artifacts.map((a) => {
          const rel = a.path.startsWith(`${props.run.id}/`) ? a.path.slice(props.run.id.length + 1) : a.path;
          const href = `/runs/${encodeURIComponent(props.run.id)}/artifacts/${rel.split('/').map(encodeURIComponent).join('/')}`;
          return (
            <tr>
              <td>
                <a href={href} download>
                  {rel}
                </a>
              </td>
              <td>{a.kind}</td>
              <td class="num">{a.size}</td>
              <td class="mono">{a.sha256.slice(0, 12)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Counts with a row-normalized heat class (CSS classes, since the CSP forbids inline styles). */
export function ConfusionTable(props: { confusion: Confusion; id: string }) {
  const { labels, matrix } = props.confusion;
  return (
    <table class="confusion" id={props.id}>
      <thead>
        <tr>
          <th>actual \ predicted</th>
          {labels.map((l) => (
            <th>{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr>
              <th>{labels[i]}</th>
              {row.map((v) => (
                <td class={`num heat-${Math.min(9, Math.floor((v / total) * 10))}`}>{v}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
