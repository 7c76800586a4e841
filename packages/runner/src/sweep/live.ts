// The live view of a running sweep: on a terminal the trials table is redrawn in place; elsewhere
// (pipes, CI logs) one line is printed per finished trial.
import type { Trial as StoredTrial } from '@kiln/core';
import { fmtNum } from '../terminal/format.ts';
import { better } from './metric.ts';
import { trialsTable } from './report.ts';
import type { SweepPlan } from './plan.ts';

export type LiveMode = 'tty' | 'lines' | 'off';

/** Rows kept on screen when redrawing, so the table never scrolls out of the terminal. */
const TTY_ROWS = 15;

export class LiveView {
  private drawnLines = 0;
  private lastFrame = '';
  private readonly reported = new Set<number>();
  /** Each distinct trial error shown so far, with the first trial that failed with it. */
  private readonly errors = new Map<string, number>();
  private best: number | null = null;

  constructor(
    private readonly plan: SweepPlan,
    private readonly mode: LiveMode,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  /** Shows the trials as they are now. */
  update(trials: readonly StoredTrial[]): void {
    if (this.mode === 'tty') this.redraw(trials);
    else if (this.mode === 'lines') this.printFinished(trials);
  }

  /** Prints a line above the live table. */
  note(text: string): void {
    if (this.mode === 'off') return;
    this.clear();
    this.out.write(`${text}\n`);
    this.lastFrame = '';
  }

  /** Leaves the last frame on screen and stops redrawing over it. */
  finish(): void {
    this.drawnLines = 0;
  }

  private clear(): void {
    if (this.mode === 'tty' && this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private redraw(trials: readonly StoredTrial[]): void {
    const running = trials.filter((t) => t.state === 'running').length;
    const done = trials.filter((t) => t.state !== 'queued' && t.state !== 'running').length;
    const frame = `${trialsTable(this.plan, trials, TTY_ROWS)}\n${done} done, ${running} running`;
    if (frame === this.lastFrame) return;
    this.clear();
    this.out.write(`${frame}\n`);
    this.drawnLines = frame.split('\n').length;
    this.lastFrame = frame;
  }

  private printFinished(trials: readonly StoredTrial[]): void {
    for (const t of trials) {
      if (this.reported.has(t.number) || t.state === 'queued' || t.state === 'running') continue;
      this.reported.add(t.number);
      if ((t.state === 'complete' || t.state === 'pruned') && better(t.value, this.best, this.plan.goal)) this.best = t.value;
      const params = Object.entries(t.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
      this.out.write(`trial ${t.number} ${t.state.padEnd(8)} ${this.plan.metric}=${fmtNum(t.value) || '-'}  best=${fmtNum(this.best) || '-'}  ${params}\n`);
      if (t.error !== null) this.out.write(`${this.describeError(t.number, t.error)}\n`);
    }
  }

  /** A failed trial's error, indented under its line; one already shown is referred to by trial number. */
  private describeError(number: number, error: string): string {
    const seen = this.errors.get(error);
    if (seen !== undefined) return `  (failed as trial ${seen} did)`;
    this.errors.set(error, number);
    return error.split('\n').map((l) => `  ${l}`).join('\n');
  }
}

/** The live mode for the command's output flags and stream. */
export function liveMode(opts: { quiet?: boolean; json?: boolean }, stream: { isTTY?: boolean } = process.stderr): LiveMode {
  if (opts.quiet || opts.json) return 'off';
  return stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb' ? 'tty' : 'lines';
}

