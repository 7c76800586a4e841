/**
 * System metrics (what the runner records about the process at each epoch end: `sys/cpu_percent`,
 * `sys/rss_mb`, `sys/heap_used_mb`, `sys/elapsed_seconds`, and the older `time.epoch_seconds`) are
 * shown in their own section: never beside model metrics in tables, headline places or defaults.
 */
import { isSystemKey } from '@kiln/core/catalog';

export { isSystemKey };

/** Splits metric keys into the model's and the system's, each in the given order. */
export function splitSystemKeys(keys: string[]): { model: string[]; system: string[] } {
  return { model: keys.filter((k) => !isSystemKey(k)), system: keys.filter(isSystemKey) };
}

/** What each system metric means, for the section's legend. */
export const SYSTEM_NOTE =
  'Recorded by the runner at each epoch end (no per-step cost): sys/cpu_percent is this process’s CPU time over the epoch’s wall time (above 100 with several threads), sys/rss_mb its resident memory, sys/heap_used_mb the JavaScript heap in use, sys/elapsed_seconds the wall time since the run started; time.epoch_seconds is each epoch’s duration.';
