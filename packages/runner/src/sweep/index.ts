/** Public API of sweeps: run or resume one, show one, and the `--set a=1,2` grid shorthand. */
export { runSweep, showSweep, type SweepRequest, type SweepOutput } from './run-sweep.ts';
export { commaGridFromOverrides, cartesian, splitTopLevel } from './shorthand.ts';
export { runWorker } from './worker.ts';
export { sweepExitCode } from './exit.ts';
export type { SweepSummary, BestTrial } from './report.ts';
export type { SweepPlan } from './plan.ts';
