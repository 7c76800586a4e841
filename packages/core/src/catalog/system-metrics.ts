/**
 * System metrics: what the runner records about its process at each epoch end, under a reserved
 * prefix. The runner writes these keys; the store, the CLI and the UI keep them apart from the
 * model's metrics (never a headline, a default column or a monitor).
 */

/** The reserved prefix of the runner's system metrics. */
export const SYSTEM_PREFIX = 'sys/';

/** The keys the runner records, by what they measure. */
export const SYSTEM_KEYS = {
  cpu: 'sys/cpu_percent',
  rss: 'sys/rss_mb',
  heap: 'sys/heap_used_mb',
  elapsed: 'sys/elapsed_seconds',
} as const;

/** Keys recorded before the `sys/` prefix existed that are system facts too. */
const LEGACY_SYSTEM_KEYS = new Set(['time.epoch_seconds']);

/** Whether a metric key describes the machine rather than the model. */
export function isSystemKey(key: string): boolean {
  return key.startsWith(SYSTEM_PREFIX) || LEGACY_SYSTEM_KEYS.has(key);
}
