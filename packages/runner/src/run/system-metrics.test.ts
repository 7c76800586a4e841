import { describe, expect, it } from 'vitest';
import { SYSTEM_KEYS, systemPoints, systemSampler, type SamplerClocks } from './system-metrics.ts';

/** Clocks a test moves by hand. */
function fakeClocks() {
  const c = { t: 1000, cpu: 0, rss: 200 * 1024 * 1024, heap: 50 * 1024 * 1024 };
  const clocks: SamplerClocks = { now: () => c.t, cpuMicros: () => c.cpu, memory: () => ({ rss: c.rss, heapUsed: c.heap }) };
  return { c, clocks };
}

describe('systemSampler', () => {
  it('measures CPU over the epoch, memory in MB and the time since the run started', () => {
    const { c, clocks } = fakeClocks();
    const s = systemSampler(clocks);
    c.t += 500; // set-up before the first epoch counts in elapsed time, not in the epoch's CPU share
    c.cpu += 10_000_000;
    s.epochStart();
    c.t += 2000;
    c.cpu += 3_000_000; // 3 s of CPU in 2 s of wall time: 150 % (two threads)
    expect(s.sample()).toEqual({ [SYSTEM_KEYS.cpu]: 150, [SYSTEM_KEYS.rss]: 200, [SYSTEM_KEYS.heap]: 50, [SYSTEM_KEYS.elapsed]: 2.5 });
    c.t += 1000;
    c.cpu += 250_000;
    c.heap = 64 * 1024 * 1024;
    // no epochStart: measured since the last sample
    expect(s.sample()).toMatchObject({ [SYSTEM_KEYS.cpu]: 25, [SYSTEM_KEYS.heap]: 64, [SYSTEM_KEYS.elapsed]: 3.5 });
  });

  it('reads the real process: positive memory, a CPU share while busy', () => {
    const s = systemSampler();
    s.epochStart();
    const until = performance.now() + 30;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const v = s.sample();
    expect(x).toBeGreaterThan(0);
    expect(v[SYSTEM_KEYS.cpu]).toBeGreaterThan(20);
    expect(v[SYSTEM_KEYS.rss]).toBeGreaterThan(10);
    expect(v[SYSTEM_KEYS.heap]).toBeGreaterThan(1);
    expect(v[SYSTEM_KEYS.elapsed]).toBeGreaterThanOrEqual(0.03);
  });

  it('turns a sample into points at the epoch end', () => {
    expect(systemPoints({ 'sys/rss_mb': 12 }, 3, 90)).toEqual([{ key: 'sys/rss_mb', step: 90, epoch: 3, value: 12 }]);
  });
});
