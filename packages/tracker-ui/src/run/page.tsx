/** The run detail page: status, transfer parent and children, provenance, charts, test metrics, confusion matrix, artifacts, tags, YAML and config. */
import { Page } from '../layout/page.tsx';
import { Chart } from '../util/chart.tsx';
import { XAxisSelect } from '../util/x-axis.tsx';
import { fmtDuration } from '../util/format.ts';
import { metricText } from '../runs/columns.ts';
import { stdSuffix, withoutStdKeys } from '../util/mean-std.ts';
import type { Confusion } from './confusion.ts';
import { runChartSpecs } from './charts.ts';
import { Artifacts, ConfusionTable, KeyValues, provenanceRows } from './sections.tsx';
import { Lineage } from './lineage.tsx';
import { ClassReportTable } from './class-report.tsx';
import { Folds } from './folds.tsx';
import type { RunDetail } from './types.ts';
import { splitSystemKeys, SYSTEM_NOTE } from '../system/keys.ts';
import { liveKeys } from '../live/keys.ts';

/** The Metrics section of a run that logged none: why, in words, instead of an empty space. */
function NoMetrics(props: { status: string }) {
  const why: Record<string, string> = {
    running: 'No metrics logged yet: curves appear here after the first epoch.',
    failed: 'No metrics: the run failed before logging any (the reason is above).',
    crashed: 'No metrics: the run stopped before logging any.',
    killed: 'No metrics: the run was stopped before logging any.',
  };
  return (
    <p class="empty" id="no-metrics">
      {why[props.status] ?? 'This run logged no metrics.'}
    </p>
  );
}

/** Renders one run. */
export function RunPage(props: { run: RunDetail; confusions: Confusion[] }) {
  const { run } = props;
  const keys = Object.keys(run.metrics);
  // System metrics (sys/*) have their own section; the tables and model charts show the model's.
  const { model: modelKeys, system: systemKeys } = splitSystemKeys(keys);
  // A k-fold parent's `.std` keys are shown with their means (mean ± std) in the two tables below.
  const shown = withoutStdKeys(modelKeys);
  const tests = shown.filter((k) => k.startsWith('test.')).sort();
  const vals = shown.filter((k) => k.startsWith('val.')).sort();
  const text = (k: string) => `${metricText(run.metrics[k])}${stdSuffix(run.metrics, k)}`;
  const warning = run.tags['kiln.warning'];
  return (
    <Page title={run.name} section="runs">
      <h1>
        {run.name}{' '}
        <span class={`status status-${run.status}`} id="run-status" data-run-status={run.id} data-status={run.status}>
          {run.status}
        </span>
      </h1>
      {/* While the run is live, client/live.js swaps the regions marked data-live-swap when it ends or logs a new key. */}
      <div id="run-summary" data-live-swap="always">
      <p class="muted">
        {run.id} · <a href={`/runs?experiment=${encodeURIComponent(run.experiment)}`}>{run.experiment}</a>
        {run.durationMs !== null ? ` · ${fmtDuration(run.durationMs)}` : ''}
        {run.sweepId !== null ? (
          <>
            {' · '}
            <a href={`/sweeps/${encodeURIComponent(run.sweepId)}`}>sweep</a>
          </>
        ) : null}
      </p>
      {run.failureReason !== null ? (
        // a pruned trial ended as its sweep asked (e.g. "pruned after epoch 1"): a status, not an error
        <p class={run.status === 'pruned' ? 'status-note' : 'error'} id="run-reason">
          {run.failureReason}
        </p>
      ) : null}
      {warning !== undefined ? (
        <p class="error" id="run-warning">
          warning: {warning}
        </p>
      ) : null}
      <p class="muted" id="kept">
        {run.keptEpoch !== null
          ? `Kept model: epoch ${run.keptEpoch}. Final values are its val.* and its test.*; curves show every epoch as logged.`
          : run.folds.length > 0
            ? 'A k-fold parent keeps no model of its own: its values are the mean over its folds (<metric>.std their standard deviation); curves show the running mean after each fold.'
            : 'No model kept: the values below are the last logged.'}
      </p>
      </div>
      <div id="run-tables" data-live-swap="always">
      <Lineage run={run} />
      <Folds run={run} />
      <section class="cols">
        <div>
          <h2>Provenance</h2>
          <KeyValues id="provenance" rows={provenanceRows(run)} />
          <h2>Tags</h2>
          <KeyValues id="tags" rows={Object.entries(run.tags)} />
          <h2>Validation metrics ({run.keptEpoch !== null ? `final, epoch ${run.keptEpoch}` : 'last'})</h2>
          <KeyValues id="val-metrics" rows={vals.map((k) => [k, text(k)])} />
          <h2>Test metrics ({run.keptEpoch !== null ? 'final, the kept model' : 'last'})</h2>
          <KeyValues id="test-metrics" rows={tests.map((k) => [k, text(k)])} />
        </div>
        <div>
          <h2>Params</h2>
          <div class="scroll-box">
            <KeyValues id="params" rows={Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b))} />
          </div>
        </div>
      </section>
      </div>
      <h2>Metrics</h2>
      <div class="curve-controls">
        <XAxisSelect />
      </div>
      <div class="charts" id="run-charts" data-live-swap="keys" data-live-keys={liveKeys([run])}>
        {runChartSpecs(run.id, modelKeys, run.startedAt).map((spec, i) => (
          <Chart id={`chart-${i}`} spec={spec} />
        ))}
        {modelKeys.length === 0 ? <NoMetrics status={run.status} /> : null}
      </div>
      <div id="run-system" data-live-swap="keys">
        {systemKeys.length > 0 ? (
          <section id="system">
            <h2>System</h2>
            <p class="muted">{SYSTEM_NOTE}</p>
            <div class="charts">
              {runChartSpecs(run.id, systemKeys).map((spec, i) => (
                <Chart id={`sys-chart-${i}`} spec={spec} />
              ))}
            </div>
          </section>
        ) : null}
      </div>
      <div id="run-results" data-live-swap="always">
      {props.confusions.map((confusion, i) => (
        <>
          <h2>Confusion matrix{confusion.output !== undefined ? `: ${confusion.output}` : ''}</h2>
          <ConfusionTable confusion={confusion} id={i === 0 ? 'confusion' : `confusion-${i}`} />
          <h3>Per class (test){confusion.output !== undefined ? `: ${confusion.output}` : ''}</h3>
          <ClassReportTable confusion={confusion} id={i === 0 ? 'class-report' : `class-report-${i}`} />
        </>
      ))}
      <h2>Artifacts</h2>
      <Artifacts run={run} />
      </div>
      {run.yaml !== '' ? (
        <details>
          <summary>Original YAML</summary>
          <pre id="yaml">{run.yaml}</pre>
        </details>
      ) : null /* a run started from user code has no pipeline file */}
      <details>
        <summary>Resolved config</summary>
        <pre id="config">{JSON.stringify(run.config, null, 2)}</pre>
      </details>
    </Page>
  );
}
