/**
 * Chart placeholders the client draws: a <div data-chart> plus its spec in a JSON block. The
 * client sets data-series-count (and data-drawn) once drawn; data-expected-series says what it should be.
 */
import { JsonData } from './json-script.tsx';

/** Curves fetched from /api/history, one series per (run, key). */
export interface LinesSpec {
  kind: 'lines';
  title: string;
  /** `color`: the run's place in the page's run list (one colour per run on every chart); the series index when absent. */
  series: { run: string; key: string; label: string; color?: number }[];
  /** Each run's start (epoch ms): zero of the wall-time x axis. Without it, the run's first point in the chart. */
  starts?: Record<string, number>;
}

/** Ready x/y data: `points` draws markers only (scatter), otherwise lines. */
export interface XYSpec {
  kind: 'xy';
  title: string;
  xLabel: string;
  x: (number | null)[];
  series: { label: string; values: (number | null)[]; points?: boolean; color?: number }[];
  /** A log-scaled x axis (a log-distributed param on a scatter); drawn linear if any x is not positive. */
  xLog?: boolean;
}

/** One axis per param/metric; values are numbers or category strings, one per line. */
export interface ParcoordsSpec {
  kind: 'parcoords';
  title: string;
  labels: string[];
  /** `log`: a log-scaled numeric axis (log-distributed params); a null value leaves the run's line out of that axis. */
  axes: { label: string; values: (number | string | null)[]; log?: boolean }[];
}

export interface BarsSpec {
  kind: 'bars';
  title: string;
  labels: string[];
  values: (number | null)[];
}

/** Grouped curves (client/bands.js): per group the mean over its runs' histories of `key`, with a min-max or ±std band. */
export interface BandsSpec {
  kind: 'bands';
  title: string;
  key: string;
  band: 'minmax' | 'std';
  groups: { label: string; runs: string[]; color: number }[];
}

export type ChartSpec = LinesSpec | XYSpec | ParcoordsSpec | BarsSpec | BandsSpec;

/** How many series a spec should draw. */
export function expectedSeries(spec: ChartSpec): number {
  if (spec.kind === 'lines' || spec.kind === 'xy') return spec.series.length;
  if (spec.kind === 'bands') return spec.groups.length;
  if (spec.kind === 'parcoords') return spec.labels.length;
  return spec.values.filter((v) => v !== null).length;
}

/** A chart placeholder with its spec; `id` must be unique in the page. */
export function Chart(props: { id: string; spec: ChartSpec; wide?: boolean }) {
  const specId = `${props.id}-spec`;
  return (
    <figure class={props.wide ? 'chart-box wide' : 'chart-box'}>
      <figcaption>{props.spec.title}</figcaption>
      <div class="chart" id={props.id} data-chart={props.spec.kind} data-spec={specId} data-expected-series={String(expectedSeries(props.spec))}></div>
      <JsonData id={specId} data={props.spec} />
    </figure>
  );
}
