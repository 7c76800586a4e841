/** The metric keys a live page charted when rendered (data-live-keys): a run logging another one makes it refresh its charts. */
import { withoutStdKeys } from '../util/mean-std.ts';

/** JSON of every key the runs logged, without a k-fold parent's `.std` keys (shown beside their means, never charted). */
export function liveKeys(runs: { metrics: Record<string, unknown> }[]): string {
  return JSON.stringify(withoutStdKeys([...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort()));
}
