import type { SweepSummary } from './report.ts';

/** The CLI exit code for a sweep: 0 when it finished with a best trial, 1 otherwise (failed, interrupted, nothing finite). */
export function sweepExitCode(summary: SweepSummary): number {
  return summary.status === 'finished' && summary.best !== null ? 0 : 1;
}
