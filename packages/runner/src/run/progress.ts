/** Human output of a training run: a live bar per epoch on a TTY (else one line per epoch), and a summary table. */
import { classReportText } from '../train/class-report.ts';
import { splitKey, type EpochMetrics } from '../train/monitor.ts';
import type { RunResult } from './result.ts';

export interface ReporterOptions {
  /** Print nothing (errors are the caller's business). */
  quiet: boolean;
  /** Redraw one line in place (stderr is a terminal). */
  tty: boolean;
  /** The metric shown next to the loss, e.g. val.accuracy. */
  monitor: string;
  epochs: number;
  err?: NodeJS.WritableStream;
  out?: NodeJS.WritableStream;
}

/** What the run layer tells the reporter. */
export interface Reporter {
  line(text: string): void;
  epochStart(epoch: number, batches: number): void;
  /** A step finished; the bar redraws at most every 100 ms with the last loss seen. */
  step(step: number): void;
  /** The mean loss of the last few steps. */
  batch(step: number, loss: number): void;
  epochEnd(epoch: number, metrics: EpochMetrics, seconds: number): void;
  summary(result: RunResult): void;
}

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
const secs = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${s.toFixed(s < 10 ? 1 : 0)}s`);
const BAR = 24;

/** A reporter that prints nothing. */
const silent: Reporter = { line() {}, epochStart() {}, step() {}, batch() {}, epochEnd() {}, summary() {} };

/** Builds the reporter for the run's output settings. */
export function createReporter(opts: ReporterOptions): Reporter {
  if (opts.quiet) return silent;
  const err = opts.err ?? process.stderr;
  const out = opts.out ?? process.stdout;
  const [split, name] = splitKey(opts.monitor);
  let batches = 0;
  let started = 0;
  let lastDraw = 0;
  let epochNo = 0;
  let lastLoss = Number.NaN;
  const head = () => `epoch ${String(epochNo).padStart(String(opts.epochs).length)}/${opts.epochs}`;

  return {
    line: (text) => err.write(`${text}\n`),
    epochStart(epoch, n) {
      [epochNo, batches, started, lastDraw, lastLoss] = [epoch, n, Date.now(), 0, Number.NaN];
    },
    batch(_step, loss) {
      lastLoss = loss;
    },
    step(step) {
      if (!opts.tty) return;
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      // Every epoch has the same batch count, so the step within the epoch follows from the global step.
      const done = ((step - 1) % batches) + 1;
      const filled = Math.round((done / batches) * BAR);
      const eta = done > 0 ? ((now - started) / 1000 / done) * (batches - done) : 0;
      err.write(`\r\x1b[2K${head()} [${'='.repeat(filled)}${' '.repeat(BAR - filled)}] ${done}/${batches} ETA ${secs(eta)} loss ${fmt(lastLoss)}`);
    },
    epochEnd(epoch, m, seconds) {
      epochNo = epoch;
      const parts = [`${head()}`, secs(seconds), `loss ${fmt(m.train.loss)}`];
      if (m.val.loss !== undefined) parts.push(`val.loss ${fmt(m.val.loss)}`);
      if (name !== 'loss') parts.push(`${opts.monitor} ${fmt(m[split][name])}`);
      parts.push(`lr ${fmt(m.lr)}`);
      err.write(`${opts.tty ? '\r\x1b[2K' : ''}${parts.join('  ')}\n`);
    },
    summary(r) {
      out.write(`${summaryTable(r)}\n`);
    },
  };
}

/** The end-of-run table: one row per metric with the kept model's val and test values, then which epoch was kept and why, warnings, time and run id. */
export function summaryTable(r: RunResult): string {
  const names = [...new Set([...Object.keys(r.metrics.val), ...Object.keys(r.metrics.test)])];
  const valHead = r.keptEpoch !== undefined ? `val (epoch ${r.keptEpoch})` : r.epochs > 0 ? `val (last, epoch ${r.epochs})` : 'val';
  const header = ['metric', valHead, 'test'];
  const rows = [header, ...names.map((n) => [n, fmt(r.metrics.val[n]), fmt(r.metrics.test[n])])];
  const widths = header.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const pad = (cell: string, c: number) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0));
  const lines = rows.map((row) => row.map(pad).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const status = r.status === 'finished' ? '' : `status      ${r.status}${r.reason ? ` (${r.reason})` : ''}\n`;
  const warnings = (r.warnings ?? []).map((w) => `warning     ${w}\n`).join('');
  const perClass = (r.classReports ?? []).map((c) => `\n${classReportText(c)}\n`).join('');
  return `\n${lines.join('\n')}\n${perClass}\n${status}${warnings}kept        ${keptLine(r)}\ntime        ${secs(r.seconds)}\nrun         ${r.runId}\nartifacts   ${r.artifactsDir}`;
}

/** Which epoch's weights the run kept and why: the restored best, or the last (saying where the best was). */
export function keptLine(r: Pick<RunResult, 'keptEpoch' | 'bestEpoch' | 'epochs' | 'monitor' | 'restored' | 'status'>): string {
  if (r.keptEpoch === undefined) return r.epochs > 0 ? `no model (run ${r.status}); the values are epoch ${r.epochs}'s` : `no model (run ${r.status} before an epoch ended)`;
  const of = `epoch ${r.keptEpoch} of ${r.epochs}`;
  if (r.restored) return `${of} (best ${r.monitor}, weights restored)`;
  if (r.bestEpoch === r.keptEpoch) return `${of} (the last, also the best ${r.monitor})`;
  return `${of} (the last; the best ${r.monitor} was at epoch ${r.bestEpoch}, not restored)`;
}
