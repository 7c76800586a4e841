/** The compare page: controls, param table, overlaid curves, parallel coordinates, scatter and bars. */
import { Page } from '../layout/page.tsx';
import { Chart } from '../util/chart.tsx';
import { XAxisSelect } from '../util/x-axis.tsx';
import type { CompareModel } from './data.ts';
import { barSpecs, curveSpecs, parcoordsSpec, runLabels, scatterSpec } from './charts.ts';
import { AxisPicker } from '../util/axes.tsx';
import { ParamTable } from './param-table.tsx';
import { MetricTable } from './metric-table.tsx';
import { SystemCompare } from '../system/compare-section.tsx';
import { liveKeys } from '../live/keys.ts';
import { GroupControls } from '../groups/controls.tsx';
import { GroupedCompare, groupFields } from '../groups/compare.tsx';
import type { RunGroup } from '../groups/group.ts';
import { groupParam, type Grouping } from '../groups/grouping.ts';


/** Where each run's plotted value comes from, grouped by kept epoch so twenty runs read as a line, not a paragraph. */
function keptEpochs(runs: readonly { name: string; keptEpoch: number | null }[]): string {
  const groups = new Map<string, string[]>();
  for (const r of runs) {
    const label = r.keptEpoch === null ? 'none kept: last logged' : `epoch ${r.keptEpoch}`;
    groups.set(label, [...(groups.get(label) ?? []), r.name]);
  }
  if (groups.size === 1) return [...groups.keys()].map((label) => `${label} (all ${runs.length} runs)`).join('');
  return [...groups].map(([label, names]) => `${label} (${names.join(', ')})`).join('; ');
}
export interface CompareView {
  smooth: number;
  log: boolean;
  hideEqual: boolean;
  /** `group` and `band` from the URL (groups/grouping.ts); null when the runs are not grouped. */
  grouping: Grouping | null;
}

function Select(props: { name: string; label: string; options: string[]; value: string }) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name} data-autosubmit="true">
        {props.options.map((o) => (
          <option value={o} selected={o === props.value}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The state the axis picker's form carries besides the axes. */
function pickerKeep(model: CompareModel, view: CompareView): [string, string][] {
  return [
    ['runs', model.runs.map((r) => r.id).join(',')],
    ['metric', model.metric],
    ['x', model.x],
    ['baseline', model.baseline],
    ['smooth', view.smooth === 0 ? '' : String(view.smooth)],
    ['log', view.log ? '1' : ''],
    ['hideEqual', view.hideEqual ? '' : '0'],
    ['group', view.grouping === null ? '' : groupParam(view.grouping)],
    ['band', view.grouping === null ? '' : view.grouping.band],
  ];
}

/** The run the metric table's differences are to; the page reloads with it as `baseline`. */
function BaselineSelect(props: { model: CompareModel }) {
  const labels = runLabels(props.model.runs);
  return (
    <label>
      Baseline{' '}
      <select name="baseline" id="baseline" data-autosubmit="true">
        {props.model.runs.map((r, i) => (
          <option value={r.id} selected={r.id === props.model.baseline}>
            {labels[i]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Renders the comparison; the form keeps the state in the URL (runs, metric, x, smooth, log, hideEqual). */
export function ComparePage(props: { model: CompareModel; view: CompareView; groups?: RunGroup[] }) {
  const { model, view } = props;
  return (
    <Page title={`Compare ${model.runs.length} runs`} section="compare">
      <h1>Compare {model.runs.length} runs</h1>
      <form method="get" action="/compare" class="controls" id="compare-controls">
        <input type="hidden" name="runs" value={model.runs.map((r) => r.id).join(',')} />
        <Select name="metric" label="Metric" options={model.metricKeys} value={model.metric} />
        <Select name="x" label="Scatter x" options={model.params.map((p) => p.key)} value={model.x} />
        <BaselineSelect model={model} />
        {model.axes.chosen.length > 0 ? <input type="hidden" name="axes" value={model.axes.chosen.join(',')} /> : null}
        <label>
          Smoothing <input type="range" name="smooth" id="smoothing" min="0" max="0.99" step="0.01" value={String(view.smooth)} />
        </label>
        <label>
          <input type="checkbox" name="log" value="1" id="logscale" checked={view.log} /> log scale
        </label>
        <XAxisSelect />
        <label>
          <input type="hidden" name="hideEqual" value="0" />
          <input type="checkbox" name="hideEqual" value="1" id="hide-equal" checked={view.hideEqual} /> hide equal params
        </label>
        <GroupControls grouping={view.grouping} fields={groupFields(model.params, model.runs)} />
        <button type="submit">Apply</button>
      </form>
      <h2>Params</h2>
      <ParamTable model={model} hideEqual={view.hideEqual} />
      <h2>Metrics</h2>
      <p class="muted">
        Final: the kept model's value (a k-fold parent's mean ± standard deviation over its folds; * = last logged, the run kept no model). Best: the best value any epoch logged. Each run's
        difference to the baseline is green where it is better, red where worse (by the metric's direction: lower loss, higher accuracy).
      </p>
      {/* While a run is live, client/live.js swaps these regions when it ends (always) or logs a new metric key (keys). */}
      <div id="compare-metrics" data-live-swap="always">
        <MetricTable model={model} />
      </div>
      {view.grouping !== null && props.groups !== undefined ? <GroupedCompare groups={props.groups} grouping={view.grouping} /> : null}
      <h2>Curves</h2>
      <div class="charts" id="compare-curves" data-live-swap="keys" data-live-keys={liveKeys(model.runs)}>
        {curveSpecs(model).map((spec, i) => (
          <Chart id={`curve-${i}`} spec={spec} />
        ))}
      </div>
      <div id="compare-system" data-live-swap="keys">
        <SystemCompare model={model} />
      </div>
      <p class="muted" id="kept-epochs">
        Parallel coordinates, scatter and bars show each run's final value, the kept model's: {keptEpochs(model.runs)}.
      </p>
      <h2>Parallel coordinates</h2>
      <AxisPicker action="/compare" keep={pickerKeep(model, view)} choice={model.axes} />
      <Chart id="parcoords" spec={parcoordsSpec(model)} wide />
      <div class="charts">
        <Chart id="scatter" spec={scatterSpec(model)} />
        {barSpecs(model).map((spec, i) => (
          <Chart id={`bars-${i}`} spec={spec} />
        ))}
      </div>
    </Page>
  );
}
