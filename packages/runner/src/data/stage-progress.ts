/**
 * What data preparation is doing after the read (split, fit, encode, cache write), on a terminal: a stage line
 * while each step runs (they are synchronous, so a line per step, not a moving bar), then one summary line of
 * the steps' times when they took more than a second. Nothing at all when stderr is not a terminal.
 */
import type { BarStream } from './sources/progress.ts';

/** Steps quicker than this in all leave no summary: small data prepares without a word, as before. */
const SUMMARY_AFTER_MS = 1000;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Stage lines and the summary; construct one per preparation. */
export class StageProgress {
  private readonly live: boolean;
  private readonly times: [string, number][] = [];
  private shown = false;

  constructor(
    private readonly stream: BarStream = process.stderr,
    private readonly now: () => number = Date.now,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.live = stream.isTTY === true && env.TERM !== 'dumb';
  }

  /** Runs one step, showing `preparing data: <what>` while it runs; `name` labels it in the summary. */
  step<T>(name: string, what: string, fn: () => T): T {
    const start = this.begin(what);
    const out = fn();
    this.end(name, start);
    return out;
  }

  /** step for an asynchronous step (the cache write). */
  async stepAsync<T>(name: string, what: string, fn: () => Promise<T>): Promise<T> {
    const start = this.begin(what);
    const out = await fn();
    this.end(name, start);
    return out;
  }

  /** Clears the stage line and, when the steps took long enough to be noticed, says where the time went. */
  done(): void {
    if (!this.live) return;
    const total = this.times.reduce((a, [, ms]) => a + ms, 0);
    if (this.shown) this.stream.write('\r\x1b[K');
    if (total >= SUMMARY_AFTER_MS) this.stream.write(`prepared data in ${secs(total)} (${this.times.map(([n, ms]) => `${n} ${secs(ms)}`).join(', ')})\n`);
  }

  private begin(what: string): number {
    if (this.live) {
      this.shown = true;
      this.stream.write(`\rpreparing data: ${what}\x1b[K`);
    }
    return this.now();
  }

  private end(name: string, start: number): void {
    const ms = this.now() - start;
    const same = this.times.find(([n]) => n === name);
    if (same) same[1] += ms;
    else this.times.push([name, ms]);
  }
}
