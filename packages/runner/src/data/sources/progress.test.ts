import { describe, expect, it } from 'vitest';
import { LoadProgress, progressLine } from './progress.ts';

/** A stream that records what is written, a terminal or not. */
const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) > 0 } };
};

describe('load progress bar', () => {
  it('shows rows, MB/s and the ETA from bytes read and the file size', () => {
    expect(progressLine(50e6, 200e6, 550_000, 2000)).toBe('reading [######..................]  25%  550,000 rows  25.0 MB/s  ETA 6s');
  });

  it('draws on a terminal only after a second, at most every 200 ms, and clears itself', () => {
    let now = 0;
    const { out, stream } = sink(true);
    const bar = new LoadProgress(100e6, stream, () => now, {});
    now = 500;
    bar.update(10e6, 1000);
    expect(out).toEqual([]);
    now = 1200;
    bar.update(20e6, 2000);
    now = 1300;
    bar.update(21e6, 2100);
    expect(out).toHaveLength(1);
    const [line = ''] = out;
    expect([line.startsWith('\r'), line.endsWith('\x1b[K')]).toEqual([true, true]);
    expect(line).toContain(' 20%  2,000 rows  16.7 MB/s  ETA 5s');
    bar.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  it('writes nothing when stderr is piped or TERM is dumb', () => {
    for (const [tty, env] of [[false, {}], [true, { TERM: 'dumb' }]] as const) {
      let now = 0;
      const { out, stream } = sink(tty);
      const bar = new LoadProgress(100e6, stream, () => now, env);
      now = 5000;
      bar.update(50e6, 10);
      bar.done();
      expect(out).toEqual([]);
    }
  });
});
