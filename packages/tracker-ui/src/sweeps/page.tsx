/** One sweep: trials table, best-so-far curve, parallel coordinates and param importance. */
import { Page } from '../layout/page.tsx';
import { Chart, type ParcoordsSpec, type XYSpec } from '../util/chart.tsx';
import { fmtNum, fmtValue } from '../util/format.ts';
import type { SweepModel } from './data.ts';
import { sweepIsLive, sweepSignature } from '../live/data.ts';

function bestCurve(m: SweepModel): XYSpec {
  const values = m.trials.map((t) => (t.state === 'complete' ? t.value : null));
  return {
    kind: 'xy',
    title: `${m.sweep.metric} of each trial's kept model, and best so far (${m.sweep.goal})`,
    xLabel: 'trial',
    x: m.trials.map((t) => t.number),
    series: [
      { label: 'trial value', values, points: true },
      { label: 'best so far', values: m.bestSoFar },
    ],
  };
}

function parcoords(m: SweepModel): ParcoordsSpec {
  const done = m.trials.filter((t) => t.state === 'complete');
  const axes: ParcoordsSpec['axes'] = m.paramKeys.map((k) => ({ label: k, values: done.map((t) => { const v = t.params[k]; return typeof v === 'number' || typeof v === 'string' ? v : fmtValue(v); }) }));
  axes.push({ label: m.sweep.metric, values: done.map((t) => t.value) });
  return { kind: 'parcoords', title: `Params → ${m.sweep.metric}`, labels: done.map((t) => `trial ${t.number}`), axes };
}

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
        · best {fmtNum(m.bestTrial?.value)}
        {m.bestTrial?.runId ? <> (<a href={`/runs/${encodeURIComponent(m.bestTrial.runId)}`}>trial {m.bestTrial.number}</a>)</> : null}
      </p>
      <div class="charts">
        <Chart id="best-so-far" spec={bestCurve(m)} />
      </div>
      <Chart id="sweep-parcoords" spec={parcoords(m)} wide />
      <h2>Param importance</h2>
      <p class="muted">Share of the objective's variance explained by each param (one-way variance split, η²; numeric params in 5 rank bins), with Spearman ρ for direction.</p>
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
      <h2>Trials</h2>
      <table class="grid" id="trials">
        <thead>
          <tr><th class="num">#</th><th>state</th><th class="num" title="each trial's kept model (the run's final value)">{m.sweep.metric} (final)</th>{m.paramKeys.map((k) => <th>{k}</th>)}<th>host</th><th>run</th></tr>
        </thead>
        <tbody>
          {m.trials.map((t) => (
            <tr class={t === m.bestTrial ? 'best' : undefined}>
              <td class="num">{t.number}</td>
              <td>{t.state}</td>
              <td class="num">{fmtNum(t.value)}</td>
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
