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
    }
  }
}

/** The live mode for the command's output flags and stream. */
export function liveMode(opts: { quiet?: boolean; json?: boolean }, stream: { isTTY?: boolean } = process.stderr): LiveMode {
  if (opts.quiet || opts.json) return 'off';
  return stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb' ? 'tty' : 'lines';
}

