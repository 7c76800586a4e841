import { SIGNAL_EXIT } from '@kiln/core/store';
import type { SweepSummary } from './report.ts';

/** The CLI exit code for a sweep: 0 when it finished with a best trial, 130/143 when a signal stopped it, 1 otherwise (failed, nothing finite). */
export function sweepExitCode(summary: SweepSummary): number {
  if (summary.signal) return SIGNAL_EXIT[summary.signal];
  return summary.status === 'finished' && summary.best !== null ? 0 : 1;
}
