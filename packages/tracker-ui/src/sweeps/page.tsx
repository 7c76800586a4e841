/** One sweep: trials table, best-so-far curve, parallel coordinates and param importance. */
import { Page } from '../layout/page.tsx';
import { Chart, type ParcoordsSpec, type XYSpec } from '../util/chart.tsx';
import { fmtNum, fmtValue } from '../util/format.ts';
import type { SweepModel } from './data.ts';
import { AxisPicker, axisValue } from '../util/axes.tsx';
import { sweepIsLive, sweepSignature } from '../live/data.ts';

function bestCurve(m: SweepModel): XYSpec {
  const values = m.trials.map((t) => (t.state === 'complete' ? t.value : null));
  return {
    kind: 'xy',
    title: `${m.sweep.metric} of each trial's kept model, and best so far (${m.sweep.goal})`,
    xLabel: 'trial',
    x: m.trials.map((t) => t.number),
    series: [
      { label: 'final (kept model)', values, points: true },
      { label: 'best so far', values: m.bestSoFar },
    ],
  };
}

/** One line per complete trial over the chosen param axes (log where the space draws in log), ending at its final value. */
function parcoords(m: SweepModel): ParcoordsSpec {
  const done = m.trials.filter((t) => t.state === 'complete');
  const axes: ParcoordsSpec['axes'] = m.axes.chosen.map((k) => ({ label: k, values: done.map((t) => axisValue(t.params[k])), ...(m.axes.log.includes(k) ? { log: true } : {}) }));
  axes.push({ label: `final ${m.sweep.metric}`, values: done.map((t) => t.value) });
  return { kind: 'parcoords', title: `Params → final ${m.sweep.metric}`, labels: done.map((t) => `trial ${t.number}`), axes };
}

/** Where the axis picker sends its form: this sweep's page. */
const pickerOf = (m: SweepModel) => <AxisPicker action={`/sweeps/${encodeURIComponent(m.sweep.id)}`} keep={[]} choice={m.axes} />;

const VALUE_NOTES = {
  final: "the kept model's value: what the sweep scores (the restored best epoch with earlyStopping, else the last epoch)",
  best: 'the best value any epoch of the trial logged',
  last: 'the value the last epoch logged (what a curve ends at)',
};

/** Renders the sweep. */
export function SweepPage(props: { model: SweepModel }) {
  const m = props.model;
  return (
    <Page title={`Sweep ${m.sweep.name}`} section="sweeps">
      <h1>Sweep {m.sweep.name}</h1>
      {/* While the sweep runs, client/live.js polls its trials and swaps this region in place when they change. */}
      <div id="sweep-live" data-live-swap="always">
      <p class="muted">
        {m.sweep.method} · {m.sweep.goal} {m.sweep.metric} ·{' '}
        <span class={`status status-${m.sweep.status}`} data-sweep-status={m.sweep.id} data-live={String(sweepIsLive(m.sweep.status, m.trials))} data-sig={sweepSignature(m.sweep.status, m.trials)}>
          {m.sweep.status}
        </span>{' '}
        · <span title={`best trial by its final ${m.sweep.metric}: ${VALUE_NOTES.final}`}>best final {m.sweep.metric} {fmtNum(m.bestTrial?.value)}</span>
        {m.bestTrial?.runId ? <> (<a href={`/runs/${encodeURIComponent(m.bestTrial.runId)}`}>trial {m.bestTrial.number}</a>)</> : null}
      </p>
      <div class="charts">
        <Chart id="best-so-far" spec={bestCurve(m)} />
      </div>
      {pickerOf(m)}
      <Chart id="sweep-parcoords" spec={parcoords(m)} wide />
      <h2>Param importance</h2>
      <p class="muted">Share of the objective's variance explained by each param (one-way variance split, η²; numeric params in 5 rank bins), with Spearman ρ for direction.</p>
      {m.importance.length === 0 ? (
        <p class="empty" id="no-importance">
          No importance yet: it needs at least 3 complete trials with a value and a param that takes more than one value.
        </p>
      ) : (
      <table class="grid" id="importance">
        <thead>
          <tr><th>param</th><th class="num">η²</th><th class="num">Spearman ρ</th><th>share</th></tr>
        </thead>
        <tbody>
          {m.importance.map((i) => (
            <tr>
              <th>{i.key}</th>
              <td class="num">{fmtNum(i.eta2)}</td>
              <td class="num">{fmtNum(i.spearman)}</td>
              <td><meter min="0" max="1" value={String(i.eta2)}></meter></td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <h2>Trials</h2>
      <p class="muted">Final is the kept model's value, the one the sweep scores; best and last are what the trial's epochs logged.</p>
      <table class="grid" id="trials">
        <thead>
          <tr><th class="num">#</th><th>state</th><th class="num" title={`final: ${VALUE_NOTES.final}`}>final {m.sweep.metric}</th><th class="num" title={`best: ${VALUE_NOTES.best}`}>best {m.sweep.metric}</th><th class="num" title={`last: ${VALUE_NOTES.last}`}>last {m.sweep.metric}</th>{m.paramKeys.map((k) => <th>{k}</th>)}<th>host</th><th>run</th></tr>
        </thead>
        <tbody>
          {m.trials.map((t) => (
            <tr class={t === m.bestTrial ? 'best' : undefined}>
              <td class="num">{t.number}</td>
              <td>{t.state}{t.error === null ? '' : <details class="trial-error"><summary>why</summary><pre>{t.error}</pre></details>}</td>
              <td class="num" data-cell="final">{fmtNum(t.value)}</td>
              <td class="num" data-cell="best">{fmtNum(m.logged[t.number]?.best)}</td>
              <td class="num" data-cell="last">{fmtNum(m.logged[t.number]?.last)}</td>
              {m.paramKeys.map((k) => <td>{fmtValue(t.params[k])}</td>)}
              <td data-cell="host">{m.hosts[t.number] ?? ''}</td>
              <td>{t.runId ? <a href={`/runs/${encodeURIComponent(t.runId)}`}>{t.runId}</a> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </Page>
  );
}
