/**
 * The model registry: named models whose versions are runs (version N of NAME = one run, with its metrics, data
 * fingerprint and config hash copied in at registration), and aliases (production, staging...) pointing at a version.
 * Resolving a reference to a run is registry-resolve.ts.
 */
import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import { KilnFailure, kilnError, type KilnError } from '../errors.ts';
import { metricDirection } from '../catalog/metrics.ts';
import { mainMetric } from './experiment-best.ts';
import type { Store } from './open.ts';
import { getRun, type MetricSummary } from './query.ts';
import { withBusyRetry } from './retry.ts';
import { modelAliases, modelVersions } from './schema.ts';

/** Model names, aliases and tag keys: what fits in a URL path segment, a file name and `NAME@ALIAS` unquoted. */
export const MODEL_NAME = /^[A-Za-z0-9._-]+$/;

/** A registered metric: the kept model's value (final, else last logged) and the best value logged. */
export interface VersionMetric {
  final: number | null;
  best: number | null;
}

/** One version of a registered model. */
export interface ModelVersion {
  name: string;
  version: number;
  runId: string;
  description: string | null;
  tags: Record<string, string>;
  metrics: Record<string, VersionMetric>;
  /** The metric the run's training monitored (or its headline metric when the spec named none). */
  monitor: string | null;
  dataFingerprint: string | null;
  configHash: string;
  createdBy: string | null;
  createdAt: number;
  /** Aliases pointing at this version, sorted. */
  aliases: string[];
}

export interface RegisterInput {
  runId: string;
  name: string;
  description?: string;
  tags?: Record<string, string>;
  /** Also register a crashed (or failed, killed) run that kept a model. */
  force?: boolean;
  createdBy?: string;
}

const fail = (code: string, path: string, message: string, hint?: string): never => {
  throw new KilnFailure(kilnError(code, path, message, hint));
};

/** Refuses a name (or alias) that is not `[A-Za-z0-9._-]+`, at `path` (e.g. --name). */
export function checkModelName(name: string, path: string, what = 'model name'): void {
  if (name === '') fail('registry/bad-name', path, `the ${what} is empty`, 'e.g. penguins-classifier or churn_v2');
  if (!MODEL_NAME.test(name)) fail('registry/bad-name', path, `${what} ${JSON.stringify(name)} has characters other than letters, digits, ".", "_" and "-"`, 'e.g. penguins-classifier or churn_v2');
}

/** The metrics a version records: val.*, test.* and the monitored key, each with its final and best value. */
export function versionMetrics(summaries: Record<string, MetricSummary>, monitor: string | null): Record<string, VersionMetric> {
  const out: Record<string, VersionMetric> = {};
  for (const [key, m] of Object.entries(summaries).sort(([a], [b]) => a.localeCompare(b))) {
    if (!key.startsWith('val.') && !key.startsWith('test.') && key !== monitor) continue;
    out[key] = { final: m.final ?? m.last, best: metricDirection(key) === 'min' ? m.min : m.max };
  }
  return out;
}

/** The metric training monitored, as the training loop picks it: the spec's, else val.<first metric>, else val.loss. */
export function monitorOf(params: Record<string, unknown>, keys: string[]): string | null {
  const named = params['train.earlyStopping.monitor'] ?? params['train.checkpoint.monitor'];
  if (typeof named === 'string') return named;
  const first = params['train.metrics[0]'];
  const candidates = [typeof first === 'string' ? `val.${first}` : undefined, 'val.loss'];
  // a multi-output run names its metrics per output: its headline metric stands in
  return candidates.find((k) => k !== undefined && keys.includes(k)) ?? mainMetric(keys.filter((k) => k.startsWith('val.') || k.startsWith('test.')));
}

/** A unique-constraint violation from libsql or PostgreSQL, anywhere in the cause chain. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (code === '23505' || /UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(`${String(code)} ${e.message}`)) return true;
  }
  return false;
}

/** Registers `runId` as the next version of `name`; concurrent registrations get distinct versions (unique index + retry). */
export async function registerModel(store: Store, input: RegisterInput): Promise<ModelVersion> {
  checkModelName(input.name, '--name');
  for (const key of Object.keys(input.tags ?? {})) checkModelName(key, '--tag', 'tag key');
  const run = (await getRun(store, input.runId)) ?? fail('registry/no-such-run', '', `no run ${input.runId} in this store`, 'kiln runs lists the runs');
  if (!run.artifacts.some((a) => a.kind === 'model')) {
    const folds = run.folds.length > 0 ? `; it is a k-fold parent: register one of its fold runs (${run.folds.map((f) => f.id).join(', ')})` : '';
    fail('registry/no-model', '', `run ${run.id} kept no model (status ${run.status}), so there is nothing to register`, `register a finished run${folds}`);
  }
  if (run.status !== 'finished' && run.status !== 'pruned' && input.force !== true)
    fail('registry/run-not-finished', '', `run ${run.id} is ${run.status}${run.failureReason ? ` (${run.failureReason})` : ''}: its kept model may not be the one it would have ended with`, 'register it anyway with --force');
  const monitor = monitorOf(run.params, Object.keys(run.metrics));
  const row = {
    name: input.name,
    runId: run.id,
    description: input.description ?? null,
    tagsJson: JSON.stringify(input.tags ?? {}),
    metricsJson: JSON.stringify(versionMetrics(run.metrics, monitor)),
    monitor,
    dataFingerprint: run.dataFingerprint,
    configHash: run.configHash,
    createdBy: input.createdBy ?? null,
    createdAt: Date.now(),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const version = await withBusyRetry(async () => {
        const [top] = await store.db.select({ v: max(modelVersions.version) }).from(modelVersions).where(eq(modelVersions.name, input.name));
        const next = Number(top?.v ?? 0) + 1;
        await store.db.insert(modelVersions).values({ ...row, version: next });
        return next;
      });
      return toVersion({ ...row, id: 0, version }, []);
    } catch (err) {
      // Another process took this number between our read and insert: read the new maximum and try again.
      if (!isUniqueViolation(err) || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

type VersionRow = typeof modelVersions.$inferSelect;

function toVersion(r: VersionRow, aliases: string[]): ModelVersion {
  return {
    name: r.name,
    version: Number(r.version),
    runId: r.runId,
    description: r.description,
    tags: JSON.parse(r.tagsJson) as Record<string, string>,
    metrics: JSON.parse(r.metricsJson) as Record<string, VersionMetric>,
    monitor: r.monitor,
    dataFingerprint: r.dataFingerprint,
    configHash: r.configHash,
    createdBy: r.createdBy,
    createdAt: Number(r.createdAt),
    aliases,
  };
}

/** Every registered model name, sorted. */
export async function modelNames(store: Store): Promise<string[]> {
  const rows = await store.db.selectDistinct({ name: modelVersions.name }).from(modelVersions).orderBy(asc(modelVersions.name));
  return rows.map((r) => r.name);
}

/** Aliases of a model: alias -> version. */
export async function modelAliasMap(store: Store, name: string): Promise<Map<string, number>> {
  const rows = await store.db.select().from(modelAliases).where(eq(modelAliases.name, name)).orderBy(asc(modelAliases.alias));
  return new Map(rows.map((r) => [r.alias, Number(r.version)]));
}

function aliasesOf(map: Map<string, number>, version: number): string[] {
  return [...map].filter(([, v]) => v === version).map(([a]) => a);
}

/** Every version of a model, newest first, with their aliases; empty when the name is not registered. */
export async function modelVersionsOf(store: Store, name: string): Promise<ModelVersion[]> {
  const [rows, aliases] = await Promise.all([
    store.db.select().from(modelVersions).where(eq(modelVersions.name, name)).orderBy(desc(modelVersions.version)),
    modelAliasMap(store, name),
  ]);
  return rows.map((r) => toVersion(r, aliasesOf(aliases, Number(r.version))));
}

/** Every version of a registered model, newest first; the did-you-mean error (at `path`) when the name is not registered. */
export async function requireModelVersions(store: Store, name: string, path: string): Promise<ModelVersion[]> {
  checkModelName(name, path);
  const versions = await modelVersionsOf(store, name);
  return versions.length > 0 ? versions : unknownModel(store, name, path);
}

/** One version of a model, or undefined. */
export async function modelVersion(store: Store, name: string, version: number): Promise<ModelVersion | undefined> {
  const [row] = await store.db.select().from(modelVersions).where(and(eq(modelVersions.name, name), eq(modelVersions.version, version))).limit(1);
  return row === undefined ? undefined : toVersion(row, aliasesOf(await modelAliasMap(store, name), version));
}

/** A model in the listing: its latest version (with metrics) and every alias. */
export interface ModelSummary {
  name: string;
  versions: number;
  latest: ModelVersion;
  aliases: Record<string, number>;
}

/** Every registered model with its latest version and aliases, by name. */
export async function listModels(store: Store): Promise<ModelSummary[]> {
  const latest = await store.db
    .select()
    .from(modelVersions)
    .where(sql`${modelVersions.version} = (SELECT max(v.version) FROM model_versions v WHERE v.name = ${modelVersions.name})`)
    .orderBy(asc(modelVersions.name));
  const counts = await store.db.select({ name: modelVersions.name, n: sql<number>`count(*)` }).from(modelVersions).groupBy(modelVersions.name);
  const count = new Map(counts.map((c) => [c.name, Number(c.n)]));
  const aliases = await store.db.select().from(modelAliases).orderBy(asc(modelAliases.name), asc(modelAliases.alias));
  return latest.map((r) => {
    const mine = new Map(aliases.filter((a) => a.name === r.name).map((a) => [a.alias, Number(a.version)]));
    return { name: r.name, versions: count.get(r.name) ?? 1, latest: toVersion(r, aliasesOf(mine, Number(r.version))), aliases: Object.fromEntries(mine) };
  });
}

/** Points `alias` of `name` at `version` (creating or moving it); returns the version it pointed at before, if any. */
export async function setModelAlias(store: Store, name: string, version: number, alias: string, updatedBy?: string): Promise<number | undefined> {
  checkModelName(alias, 'ALIAS', 'alias');
  if (/^\d+$/.test(alias)) fail('registry/bad-alias', 'ALIAS', `alias "${alias}" is a number: NAME@${alias} would mean version ${alias}`, 'use a word, e.g. production or staging');
  if ((await modelVersion(store, name, version)) === undefined) await refuseUnknownVersion(store, name, version, 'NAME@VERSION');
  const before = (await modelAliasMap(store, name)).get(alias);
  const values = { name, alias, version, updatedBy: updatedBy ?? null, updatedAt: Date.now() };
  await withBusyRetry(() =>
    store.db.insert(modelAliases).values(values).onConflictDoUpdate({ target: [modelAliases.name, modelAliases.alias], set: { version, updatedBy: values.updatedBy, updatedAt: values.updatedAt } }),
  );
  return before;
}

/** Removes an alias; returns the version it pointed at. */
export async function deleteModelAlias(store: Store, name: string, alias: string): Promise<number> {
  const aliases = await modelAliasMap(store, name);
  const version = aliases.get(alias);
  if (version === undefined) return unknownAlias(store, name, alias, aliases, 'ALIAS');
  await store.db.delete(modelAliases).where(and(eq(modelAliases.name, name), eq(modelAliases.alias, alias)));
  return version;
}

/** The registered versions of a run that an alias points at, as `NAME@VERSION (alias ALIAS)`: what deleting the run would break. */
export async function aliasedVersionsOf(store: Store, runId: string): Promise<string[]> {
  const rows = await store.db
    .select({ name: modelAliases.name, alias: modelAliases.alias, version: modelAliases.version })
    .from(modelAliases)
    .innerJoin(modelVersions, and(eq(modelVersions.name, modelAliases.name), eq(modelVersions.version, modelAliases.version)))
    .where(eq(modelVersions.runId, runId))
    .orderBy(asc(modelAliases.name), asc(modelAliases.alias));
  return rows.map((r) => `${r.name}@${Number(r.version)} (alias ${r.alias})`);
}

/** The refusal to delete runs that aliased versions are (undefined when none is): the alias would point at nothing. */
export async function aliasedRefusal(store: Store, runIds: string[]): Promise<KilnError | undefined> {
  const found = await Promise.all(runIds.map(async (id) => ({ id, versions: await aliasedVersionsOf(store, id) })));
  const hits = found.filter((f) => f.versions.length > 0);
  if (hits.length === 0) return undefined;
  const which = hits.map((h) => `run ${h.id} is ${h.versions.join(', ')}`).join('; ');
  return kilnError('store/run-aliased', '', `${which}; nothing deleted`, 'move the alias first (kiln model alias NAME@VERSION ALIAS, or --delete it), or pass --force');
}

/** The error for a model name that is not registered, with the closest registered name. */
export async function unknownModel(store: Store, name: string, path: string): Promise<never> {
  const { choiceHint } = await import('../spec/suggest.ts');
  const names = await modelNames(store);
  return fail('registry/unknown-model', path, `no registered model "${name}" in this store`, names.length === 0 ? 'register one with kiln model register RUN --name NAME' : choiceHint(name, names));
}

/** The error for an alias the model does not have, with its aliases. */
export async function unknownAlias(store: Store, name: string, alias: string, aliases: Map<string, number>, path: string): Promise<never> {
  if ((await modelVersionsOf(store, name)).length === 0) return unknownModel(store, name, path);
  const { choiceHint } = await import('../spec/suggest.ts');
  return fail('registry/unknown-alias', path, `model ${name} has no alias "${alias}"`, aliases.size === 0 ? `set one with kiln model alias ${name}@VERSION ${alias}` : choiceHint(alias, [...aliases.keys()]));
}

/** The error for a version the model does not have, listing its versions. */
export async function refuseUnknownVersion(store: Store, name: string, version: number, path: string): Promise<never> {
  const versions = await modelVersionsOf(store, name);
  if (versions.length === 0) return unknownModel(store, name, path);
  return fail('registry/unknown-version', path, `model ${name} has no version ${version}`, `its versions: ${versions.map((v) => v.version).reverse().join(', ')}`);
}
