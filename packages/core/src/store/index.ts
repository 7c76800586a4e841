/** Public API of the tracking store. */
export { openStore, resolveStoreUrl, type Store, type OpenOptions } from './open.ts';
export { dialectOf, type StoreConnection, type StoreDb, type DialectName } from './dialect.ts';
export { redactUrl } from './redact.ts';
export * as tables from './schema.ts';
export { RUN_STATUSES, TRIAL_STATES, type RunStatus, type TrialState, type ParamType } from './schema.ts';
export { createTracker, newRunId, type Tracker, type TrackerOptions, type RunHandle, type StartRunInput } from './tracker.ts';
export { installExitHandlers, watchLauncher, SIGNAL_EXIT, type StopSignal, type ExitHandlerOptions } from './exit.ts';
export { flattenParams, typeParam, type ParamLeaf } from './params.ts';
export { collectProvenance, type Provenance } from './provenance.ts';
export { type MetricPoint } from './metrics.ts';
export { metricDirection, goalFor, type Direction, type Goal } from '../catalog/index.ts';
export { sha256File, type ArtifactRecord } from './artifacts.ts';
export { openArtifact, openRecord, findArtifact, readArtifact, type OpenedArtifact } from './artifact-read.ts';
export { blobInfo, putBlob, putFileBlob, CHUNK_SIZE, type BlobInfo } from './blobs.ts';
export { markStaleRuns, effectiveStatus, effectiveFailureReason } from './stale.ts';
export { storeChangeMarker, staleDeadline } from './change-marker.ts';
export { storeFault, storeLabel, causeChain, StoreFault, type StoreFaultCode } from './faults.ts';
export { deleteRunChecked, runningRefusal, type DeleteResult, type DeleteOptions } from './delete.ts';
export { collectBlobs, type BlobGcResult } from './blob-gc.ts';
export { requestStop, stopRequest, waitForEnd, STOP_TAG } from './stop.ts';
export { compareSchema, type SchemaState, type AppliedMigration } from './schema-version.ts';
export { getOrCreateExperiment } from './experiments.ts';
export {
  createSweep,
  addTrials,
  claimTrial,
  heartbeatTrial,
  finishTrial,
  requeueStaleTrials,
  listTrials,
  getSweep,
  setSweepStatus,
  type SweepInput,
  type Trial,
} from './sweeps.ts';
export {
  listExperiments,
  listRuns,
  getRun,
  foldRuns,
  metricHistory,
  paramDiff,
  deleteRun,
  summaryValue,
  type MetricSummary,
  type ExperimentSummary,
  type ListRunsOptions,
  type RunRow,
  type RunPage,
  type ParamDiff,
  type History,
  type HistoryOptions,
  type HistoryPoint,
} from './query.ts';
export { countRuns, boundedCount, COUNT_BOUND, WINDOW_RUNS, type RunCount, type RunCountQuery } from './run-count.ts';
export { runLineage, type Lineage, type RunLink } from './lineage.ts';
export { filterNamesFolds, foldValues, meanStd, summarizeFolds, STD_SUFFIX } from './folds.ts';
export { allRuns, exportRuns, toCsv, csvCell, flattenRunRow, type ExportRow } from './export.ts';
export { parseFilter, tokenize, type FilterNode, type CompareOp, type Literal } from './filter.ts';
export { compileFilter } from './filter-sql.ts';
export { withBusyRetry, isBusyError } from './retry.ts';
export { copyStore, tableChecksum, type TableReport } from './copy.ts';
export { copyArtifacts, type ArtifactCopyReport } from './artifact-copy.ts';
// The UI's listings, here so that SQL against the schema lives in one package.
export { runHosts, endedRuns } from './run-hosts.ts';
export { listSweeps, type SweepSummary } from './sweep-list.ts';
export { experimentsWithBest, mainMetric, type ExperimentRow } from './experiment-best.ts';
export {
  registerModel,
  listModels,
  modelVersionsOf,
  requireModelVersions,
  modelVersion,
  modelNames,
  modelAliasMap,
  aliasedRefusal,
  setModelAlias,
  deleteModelAlias,
  checkModelName,
  MODEL_NAME,
  type ModelVersion,
  type ModelSummary,
  type VersionMetric,
  type RegisterInput,
} from './registry.ts';
export { resolveModelRef, parseModelRef, formatVersionRef, type ResolvedRef, type ResolvedVersion } from './registry-resolve.ts';
export { runSetStats, RUN_SET_SAMPLE, type RunSetStats, type RunSetQuery, type ParamStat } from './run-set.ts';
export { existingRuns, checkSortKey } from './run-checks.ts';
