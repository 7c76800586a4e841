/** model.from.model: a registered model (NAME@ALIAS, NAME@VERSION, NAME) resolved to its run when a run starts. */
import type { ModelSpec } from '@kiln/core';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { openStore, resolveModelRef, type ResolvedVersion } from '@kiln/core/store';

/** The registered version a run started from and its run, recorded on the new run. */
export interface FromModel {
  runId: string;
  version: ResolvedVersion;
}

/** Tag keys on a run that started from a registered model: `NAME@VERSION`, and the alias it went through. */
export const FROM_MODEL_TAG = 'kiln.from_model';
export const FROM_ALIAS_TAG = 'kiln.from_alias';

/** The model spec with model.from.model resolved to model.from.run; unchanged (and no version) when it names a run. */
export async function resolveFromModel(spec: ModelSpec, store: string | undefined): Promise<{ spec: ModelSpec; from: FromModel | undefined }> {
  const from = spec.from;
  if (from?.model === undefined) return { spec, from: undefined };
  const s = await openStore(store, { mode: 'read' });
  try {
    const ref = await resolveModelRef(s, from.model, 'model.from.model');
    // a bare word that is no registered name resolves to a run id; here the field says it is a model
    if (ref.model === null) throw new KilnFailure(kilnError('registry/unknown-model', 'model.from.model', `no registered model "${from.model}" in this store`, `to start from a run, write model.from.run: ${ref.runId}`));
    return { spec: { ...spec, from: { ...from, run: ref.runId } }, from: { runId: ref.runId, version: ref.model } };
  } finally {
    s.close();
  }
}

/** The tags recording which registered version a run started from. */
export function fromModelTags(from: FromModel | undefined): Record<string, string> {
  if (from === undefined) return {};
  const { name, version, alias } = from.version;
  return { [FROM_MODEL_TAG]: `${name}@${version}`, ...(alias !== null ? { [FROM_ALIAS_TAG]: alias } : {}) };
}
