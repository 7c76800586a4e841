/**
 * The fields a filter or sort may name: run columns (registry below), plus `metrics.<key>` (the
 * kept model's value when the run recorded one, else the last logged), `params.<key>` and `tags.<key>`. Shared by the filter compiler and sorting.
 */
import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { experiments, runs } from './schema.ts';
import { filterError } from './filter.ts';
import { effectiveStatus, staleThresholdMs } from './stale.ts';
import { editDistance } from '../spec/suggest.ts';

/** Run columns by the names users type (camelCase, with snake_case aliases added below). `name` is the pipeline's name, `runName` the run's unique display name. */
const COLUMNS: Record<string, SQLiteColumn> = {
  id: runs.id,
  name: runs.pipeline,
  pipeline: runs.pipeline,
  runName: runs.name,
  keptEpoch: runs.keptEpoch,
  experiment: experiments.name,
  status: runs.status,
  startedAt: runs.startedAt,
  endedAt: runs.endedAt,
  duration: runs.durationMs,
  durationMs: runs.durationMs,
  configHash: runs.configHash,
  dataFingerprint: runs.dataFingerprint,
  seed: runs.seed,
  gitCommit: runs.gitCommit,
  gitDirty: runs.gitDirty,
  host: runs.host,
  os: runs.os,
  nodeVersion: runs.nodeVersion,
  tfjsVersion: runs.tfjsVersion,
  tfjsBackend: runs.tfjsBackend,
  kilnVersion: runs.kilnVersion,
  sweepId: runs.sweepId,
  trial: runs.trialNumber,
  failureReason: runs.failureReason,
  heartbeatAt: runs.heartbeatAt,
  parentRunId: runs.parentRunId,
  foldParentId: runs.foldParentId,
  fold: runs.fold,
};

for (const [name, column] of Object.entries(COLUMNS)) {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  COLUMNS[snake] ??= column;
}

export type FieldRef =
  | { kind: 'column'; name: string; column: SQLiteColumn | SQL }
  | { kind: 'metric' | 'param' | 'tag'; key: string };

const PREFIXES: Record<string, 'metric' | 'param' | 'tag'> = { metrics: 'metric', params: 'param', tags: 'tag' };

/** The names a field may start with, for did-you-mean. */
export function fieldNames(): string[] {
  return [...Object.keys(COLUMNS), 'metrics.', 'params.', 'tags.'];
}

/** Resolves a field name to a column or a keyed metric/param/tag, or throws a located did-you-mean error. */
export function resolveField(name: string, col: number): FieldRef {
  const dot = name.indexOf('.');
  if (dot > 0) {
    const kind = PREFIXES[name.slice(0, dot)];
    if (kind !== undefined && dot < name.length - 1) return { kind, key: name.slice(dot + 1) };
  }
  // status as readers see it: a running run whose heartbeat went stale is crashed (stale.ts)
  if (name === 'status') return { kind: 'column', name, column: effectiveStatus(staleThresholdMs()) };
  const column = COLUMNS[name];
  if (column !== undefined) return { kind: 'column', name, column };
  const guess = closest(dot > 0 ? name.slice(0, dot) + '.' : name, fieldNames());
  throw filterError(`unknown field '${name}'`, col, guess === undefined ? `fields: ${fieldNames().join(', ')}` : `did you mean '${guess}'?`);
}

/** The candidate nearest to `word`, if it is near enough to be a plausible typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
