/**
 * The whole tracking-store schema, in one drizzle module so drizzle-kit can generate migrations
 * from it. Timestamps are epoch milliseconds (integers) so the same shapes port to PostgreSQL
 * (bigint) without date-type differences; JSON is stored as text for the same reason.
 */
import { sqliteTable, text, integer, real, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { GOALS } from '../catalog/sweep.ts';
import { blobs, blobChunks } from './schema-blobs.ts';

export { blobs, blobChunks } from './schema-blobs.ts';

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed', 'crashed', 'pruned'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TRIAL_STATES = ['queued', 'running', 'complete', 'pruned', 'failed'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

export const PARAM_TYPES = ['number', 'string', 'bool', 'json'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export const experiments = sqliteTable('experiments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    experimentId: integer('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    durationMs: integer('duration_ms'),
    configJson: text('config_json').notNull(),
    yaml: text('yaml').notNull(),
    configHash: text('config_hash').notNull(),
    dataFingerprint: text('data_fingerprint'),
    seed: integer('seed'),
    gitCommit: text('git_commit'),
    gitDirty: integer('git_dirty', { mode: 'boolean' }),
    host: text('host'),
    os: text('os'),
    nodeVersion: text('node_version'),
    tfjsVersion: text('tfjs_version'),
    tfjsBackend: text('tfjs_backend'),
    kilnVersion: text('kiln_version'),
    sweepId: text('sweep_id'),
    trialNumber: integer('trial_number'),
    failureReason: text('failure_reason'),
    heartbeatAt: integer('heartbeat_at'),
    /**
     * The run whose trained layers this one started from (model.from.run). No foreign key: the
     * child keeps naming its parent after the parent is deleted, as provenance.
     */
    parentRunId: text('parent_run_id'),
    /** The pipeline's `name` (runs.name is the run's unique display name, `<pipeline>-<hex>`). */
    pipeline: text('pipeline'),
    /** 1-based epoch whose weights the run kept (restored best or last); null while running or when nothing was kept. */
    keptEpoch: integer('kept_epoch'),
    /**
     * The k-fold parent of a fold's run (data.split.folds): the parent records the folds' mean and standard deviation.
     * No foreign key, like parent_run_id: kiln delete removes a parent's folds itself.
     */
    foldParentId: text('fold_parent_id'),
    /** The fold (1-based) this child run validated on; null for other runs. */
    fold: integer('fold'),
  },
  // runs_experiment_activity_idx (experiment_id, coalesce(heartbeat_at, ended_at, started_at)) is an expression
  // index written by hand in the store_scale migrations, for the experiments listing.
  (t) => [
    index('runs_experiment_started_idx').on(t.experimentId, t.startedAt),
    index('runs_started_idx').on(t.startedAt),
    index('runs_status_heartbeat_idx').on(t.status, t.heartbeatAt),
    index('runs_sweep_idx').on(t.sweepId, t.trialNumber),
    index('runs_parent_idx').on(t.parentRunId),
    index('runs_fold_parent_idx').on(t.foldParentId, t.fold),
    // the listings' first page hides folds (fold_parent_id IS NULL) newest first: read in this index's order
    index('runs_fold_parent_started_idx').on(t.foldParentId, t.startedAt),
  ],
);

export const params = sqliteTable(
  'params',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    type: text('type', { enum: PARAM_TYPES }).notNull(),
    /** Set for number and bool (0/1) params so they compare and sort numerically. */
    numValue: real('num_value'),
    /** The value as text for every type (JSON for `json`), used for string comparison and display. */
    textValue: text('text_value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.key] }),
    // run_id last makes both covering for a filter's `run_id IN (SELECT run_id .. WHERE key = ? AND value ..)`
    index('params_key_num_run_idx').on(t.key, t.numValue, t.runId),
    index('params_key_text_run_idx').on(t.key, t.textValue, t.runId),
  ],
);

export const metrics = sqliteTable(
  'metrics',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    step: integer('step').notNull(),
    epoch: integer('epoch'),
    value: real('value'),
    wallTime: integer('wall_time').notNull(),
  },
  // value is in the index so history and downsampling read the index alone (covering).
  (t) => [index('metrics_run_key_step_idx').on(t.runId, t.key, t.step, t.value)],
);

export const metricSummaries = sqliteTable(
  'metric_summaries',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    last: real('last'),
    lastStep: integer('last_step').notNull(),
    min: real('min'),
    minStep: integer('min_step'),
    max: real('max'),
    maxStep: integer('max_step'),
    /** min_step for loss-like keys, max_step otherwise (see summaries.ts). */
    bestStep: integer('best_step'),
    count: integer('count').notNull(),
    /**
     * The value of the model the run kept (val.* of the kept epoch, test.* of the saved model),
     * recorded once at the end; null for a run that kept no model (running, failed) or an older one.
     */
    final: real('final'),
  },
  // Filters and sorts read coalesce(final, last): the expression index on (key, coalesce(final, last), run_id) is
  // written by hand in the store_scale migrations (drizzle-kit's snapshots cannot hold it).
  // (key, max|min, run_id): the experiments page's best value per experiment reads a key's best summaries first
  // (experiment-best.ts) instead of every run of the experiment.
  (t) => [
    primaryKey({ columns: [t.runId, t.key] }),
    index('metric_summaries_key_last_idx').on(t.key, t.last),
    index('metric_summaries_key_max_idx').on(t.key, t.max, t.runId),
    index('metric_summaries_key_min_idx').on(t.key, t.min, t.runId),
  ],
);

/**
 * Pre-aggregated min/max per fixed step bucket at a few widths (see rollups.ts), so downsampling a
 * million-point history reads about a thousand rows instead of scanning every point.
 */
export const metricRollups = sqliteTable(
  'metric_rollups',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    width: integer('width').notNull(),
    bucket: integer('bucket').notNull(),
    min: real('min').notNull(),
    minStep: integer('min_step').notNull(),
    max: real('max').notNull(),
    maxStep: integer('max_step').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.width, t.bucket] })],
);

export const tags = sqliteTable(
  'tags',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index('tags_key_value_idx').on(t.key, t.value)],
);

export const artifacts = sqliteTable(
  'artifacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    kind: text('kind').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('artifacts_run_idx').on(t.runId)],
);

export const sweeps = sqliteTable('sweeps', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  experimentId: integer('experiment_id')
    .notNull()
    .references(() => experiments.id, { onDelete: 'cascade' }),
  specJson: text('spec_json').notNull(),
  method: text('method').notNull(),
  metric: text('metric').notNull(),
  goal: text('goal', { enum: GOALS }).notNull(),
  status: text('status').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const trials = sqliteTable(
  'trials',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sweepId: text('sweep_id')
      .notNull()
      .references(() => sweeps.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    paramsJson: text('params_json').notNull(),
    state: text('state', { enum: TRIAL_STATES }).notNull(),
    runId: text('run_id'),
    workerId: text('worker_id'),
    heartbeatAt: integer('heartbeat_at'),
    value: real('value'),
    /** Why a failed trial failed (its error, as the command line printed it), so the sweep can say. */
    error: text('error'),
  },
  (t) => [uniqueIndex('trials_sweep_number_idx').on(t.sweepId, t.number), index('trials_sweep_state_idx').on(t.sweepId, t.state)],
);

/**
 * The model registry (registry.ts): version N of a named model is one run, with what it was registered for (its
 * metrics, data fingerprint and config hash) copied in. No foreign key to runs: a version keeps naming its run after
 * the run is deleted, and resolving it then says so. (name, version) is unique: concurrent registrations retry.
 */
export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    runId: text('run_id').notNull(),
    description: text('description'),
    /** The version's own tags (--tag k=v), a JSON object of strings. */
    tagsJson: text('tags_json').notNull(),
    /** The run's metrics when registered, a JSON object key -> { final, best } (val.*, test.* and the monitored one). */
    metricsJson: text('metrics_json').notNull(),
    /** The metric the run's training monitored (early stopping / checkpoint), e.g. val.loss. */
    monitor: text('monitor'),
    dataFingerprint: text('data_fingerprint'),
    configHash: text('config_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('model_versions_name_version_idx').on(t.name, t.version), index('model_versions_run_idx').on(t.runId)],
);

/** Named pointers (production, staging...) to one version of a model; moving one is an update of its row. */
export const modelAliases = sqliteTable(
  'model_aliases',
  {
    name: text('name').notNull(),
    alias: text('alias').notNull(),
    version: integer('version').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.alias] })],
);

/** Everything drizzle needs to type relational queries; passed to drizzle() on open. */
export const schema = { experiments, runs, params, metrics, metricSummaries, metricRollups, tags, artifacts, sweeps, trials, modelVersions, modelAliases, blobs, blobChunks };
