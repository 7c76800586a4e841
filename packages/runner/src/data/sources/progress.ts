/** A one-line progress bar for reading a big file: rows, MB/s and ETA, on stderr, only on a terminal and only after a second. */

/** When the bar appears and how often it redraws. */
const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 200;
const WIDTH = 24;

/** A stream the bar can draw on. */
export interface BarStream {
  isTTY?: boolean;
  write(s: string): boolean;
}

const mb = (bytes: number) => bytes / 1e6;

/** The bar's text for `read` of `total` bytes and `rows` rows after `ms` milliseconds. */
export function progressLine(read: number, total: number, rows: number, ms: number): string {
  const frac = total > 0 ? Math.min(1, read / total) : 0;
  const filled = Math.round(frac * WIDTH);
  const rate = ms > 0 ? mb(read) / (ms / 1000) : 0;
  const eta = rate > 0 ? (mb(total - read) / rate).toFixed(0) : '?';
  return `reading [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows  ${rate.toFixed(1)} MB/s  ETA ${eta}s`;
}

/** Draws progressLine on a terminal; silent when the stream is not one (piped, redirected) or TERM=dumb. */
export class LoadProgress {
  private readonly start: number;
  private last = 0;
  private shown = false;
  private readonly live: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: BarStream = process.stderr,
    private readonly now: () => number = Date.now,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.live = stream.isTTY === true && env.TERM !== 'dumb';
    this.start = now();
  }

  /** Redraws (at most every REDRAW_MS) once the read has taken SHOW_AFTER_MS. */
  update(read: number, rows: number): void {
    if (!this.live) return;
    const t = this.now();
    if (t - this.start < SHOW_AFTER_MS || t - this.last < REDRAW_MS) return;
    this.last = t;
    this.shown = true;
    this.stream.write(`\r${progressLine(read, this.total, rows, t - this.start)}\x1b[K`);
  }

  /** Clears the bar, so what follows starts on a clean line. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
