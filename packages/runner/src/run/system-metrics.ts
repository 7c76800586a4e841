/**
 * System metrics, sampled once per epoch end (no per-step cost) and stored as metrics under the
 * reserved `sys/` prefix: this process's CPU use over the epoch, its resident memory, the JavaScript
 * heap in use, and the wall time since the run started. A sample reads two clocks and
 * process.memoryUsage(): a few microseconds (`pnpm bench sys-metrics`).
 */
import type { MetricPoint } from '@kiln/core/store';
import { SYSTEM_KEYS } from '@kiln/core/catalog';

export { SYSTEM_KEYS } from '@kiln/core/catalog';

const MB = 1024 * 1024;

export interface SystemSampler {
  /** Marks an epoch's start: the CPU share is measured from here. */
  epochStart(): void;
  /** The sample at an epoch's end, keyed by SYSTEM_KEYS. */
  sample(): Record<string, number>;
}

/** Clocks the sampler reads; tests pass fixed ones. */
export interface SamplerClocks {
  now: () => number;
  cpuMicros: () => number;
  memory: () => { rss: number; heapUsed: number };
}

const PROCESS_CLOCKS: SamplerClocks = {
  now: () => performance.now(),
  // user + system time of every thread of the process (the wasm backend's worker threads too)
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  memory: () => process.memoryUsage(),
};

/** A sampler whose elapsed time starts now; without epochStart, CPU is measured since the last sample. */
export function systemSampler(clocks: SamplerClocks = PROCESS_CLOCKS): SystemSampler {
  const started = clocks.now();
  let from = { at: started, cpu: clocks.cpuMicros() };
  return {
    epochStart() {
      from = { at: clocks.now(), cpu: clocks.cpuMicros() };
    },
    sample() {
      const at = clocks.now();
      const cpu = clocks.cpuMicros();
      const wallMs = at - from.at;
      const mem = clocks.memory();
      const out = {
        [SYSTEM_KEYS.cpu]: wallMs > 0 ? ((cpu - from.cpu) / 1000 / wallMs) * 100 : 0,
        [SYSTEM_KEYS.rss]: mem.rss / MB,
        [SYSTEM_KEYS.heap]: mem.heapUsed / MB,
        [SYSTEM_KEYS.elapsed]: (at - started) / 1000,
      };
      from = { at, cpu };
      return out;
    },
  };
}

/** A sample as store points at an epoch's last step. */
export function systemPoints(sample: Record<string, number>, epoch: number, step: number): MetricPoint[] {
  return Object.entries(sample).map(([key, value]) => ({ key, step, epoch, value }));
}
