/**
 * One way from what a user types to a run: `NAME@ALIAS`, `NAME@3`, `NAME` (its latest version) or a run id (or a
 * unique prefix of one). kiln predict, model.from.model and kiln serve all resolve through here.
 */
import { eq } from 'drizzle-orm';
import { KilnFailure, kilnError } from '../errors.ts';
import type { Store } from './open.ts';
import { listRuns } from './query.ts';
import { runs } from './schema.ts';
import { MODEL_NAME, modelAliasMap, modelVersion, modelVersionsOf, refuseUnknownVersion, unknownAlias, unknownModel } from './registry.ts';

/** Which registered version a reference named. */
export interface ResolvedVersion {
  name: string;
  version: number;
  /** The alias the reference went through, when it named one. */
  alias: string | null;
}

/** A resolved reference: the run, and the model version when it came from the registry. */
export interface ResolvedRef {
  runId: string;
  model: ResolvedVersion | null;
}

/** `NAME@ALIAS` / `NAME@VERSION` / `NAME` split, or the reason it cannot be one. */
export function parseModelRef(ref: string): { name: string; selector: string | null } {
  const at = ref.indexOf('@');
  if (at < 0) return { name: ref, selector: null };
  return { name: ref.slice(0, at), selector: ref.slice(at + 1) };
}

/** `NAME@VERSION` or `NAME@ALIAS` as written; for messages and the run's provenance. */
export function formatVersionRef(v: ResolvedVersion): string {
  return v.alias === null ? `${v.name}@${v.version}` : `${v.name}@${v.alias} (version ${v.version})`;
}

const fail = (code: string, path: string, message: string, hint?: string): never => {
  throw new KilnFailure(kilnError(code, path, message, hint));
};

/** Resolves a model reference or run id to a run id; errors (at `path`) name the closest model or alias. */
export async function resolveModelRef(store: Store, ref: string, path = ''): Promise<ResolvedRef> {
  const { name, selector } = parseModelRef(ref);
  if (selector === null) return resolveBare(store, name, path);
  if (!MODEL_NAME.test(name) || !MODEL_NAME.test(selector))
    fail('registry/bad-ref', path, `cannot read model reference ${JSON.stringify(ref)}`, 'write NAME@ALIAS (e.g. churn@production), NAME@VERSION (churn@3), NAME (its latest version) or a run id');
  const version = /^\d+$/.test(selector) ? Number(selector) : await aliasVersion(store, name, selector, path);
  const row = (await modelVersion(store, name, version)) ?? (await refuseUnknownVersion(store, name, version, path));
  return { runId: await existingRun(store, row, path), model: { name, version, alias: /^\d+$/.test(selector) ? null : selector } };
}

async function aliasVersion(store: Store, name: string, alias: string, path: string): Promise<number> {
  const aliases = await modelAliasMap(store, name);
  return aliases.get(alias) ?? unknownAlias(store, name, alias, aliases, path);
}

/** A bare word: a registered name (its latest version) first, else a run id or prefix. */
async function resolveBare(store: Store, name: string, path: string): Promise<ResolvedRef> {
  if (MODEL_NAME.test(name)) {
    const [latest] = await modelVersionsOf(store, name);
    if (latest !== undefined) return { runId: await existingRun(store, latest, path), model: { name, version: latest.version, alias: null } };
  }
  if (/^[A-Za-z0-9_-]+$/.test(name)) {
    const page = await listRuns(store, { filter: `id like "${name}%"`, limit: 2 });
    const [only] = page.runs;
    if (page.total === 1 && only !== undefined) return { runId: only.id, model: null };
    if (page.total > 1) fail('cli/ambiguous-run', path, `run id prefix "${name}" matches ${page.total} runs`, 'give more characters of the id (kiln runs lists them)');
  }
  return unknownRunOrModel(store, name, path);
}

async function unknownRunOrModel(store: Store, name: string, path: string): Promise<never> {
  try {
    return await unknownModel(store, name, path);
  } catch (e) {
    if (!(e instanceof KilnFailure)) throw e;
    const [err] = e.errors;
    return fail('cli/run-not-found', path, `no run "${name}" in this store, and no registered model of that name`, err?.hint?.startsWith('did you mean') ? err.hint : 'kiln runs lists the runs, kiln model ls the models; --store picks another store');
  }
}

/** The version's run id, refusing one whose run was deleted since it was registered. */
async function existingRun(store: Store, v: { name: string; version: number; runId: string }, path: string): Promise<string> {
  const [hit] = await store.db.select({ id: runs.id }).from(runs).where(eq(runs.id, v.runId)).limit(1);
  if (hit === undefined) fail('registry/run-deleted', path, `${v.name}@${v.version} is run ${v.runId}, which is no longer in this store`, `register another run as ${v.name}, or point the alias at another version`);
  return v.runId;
}
