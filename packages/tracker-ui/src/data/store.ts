/** The one place tracker-ui imports core's store API, so the seam with core is easy to see. */
export {
  openStore,
  listExperiments,
  listRuns,
  getRun,
  metricHistory,
  paramDiff,
  getSweep,
  listTrials,
  tables,
  summaryValue,
  type MetricSummary,
  type Store,
  type RunRow,
  type RunPage,
  type History,
  type HistoryOptions,
  type Trial,
  type ExperimentSummary,
} from '@kiln/core/store';
export { isLossLike } from '@kiln/core/store';
export { KilnFailure, type KilnError } from '@kiln/core';
