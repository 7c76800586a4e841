export { DIRECTIONS, METRIC_TABLE, METRICS, SERIES_TABLE, metricDirection, metricsFor, type Direction, type MetricInfo, type MetricName, type SeriesName } from './metrics.ts';
export { LOSS_TABLE, LOSSES, lossesFor, type LossName } from './losses.ts';
export { GOALS, PRUNER_TABLE, SAMPLERS, goalFor, type Goal, type PrunerName, type SamplerName } from './sweep.ts';
export { DEFAULT_MISSING_MARKERS, MISSING_RULE, describeMissingMarkers, isMissingValue, missingMarkers, missingTest, type MissingTest } from './missing.ts';
export { classReport, perClassStats, presentClasses, type ClassAverages, type ClassReport, type ClassRow } from './class-report.ts';
export { SYSTEM_KEYS, SYSTEM_PREFIX, isSystemKey } from './system-metrics.ts';
