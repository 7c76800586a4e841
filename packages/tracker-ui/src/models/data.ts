/** One registered model for its page: every version (newest first), its aliases, and the params its versions' runs differ in. */
import { HTTPException } from 'hono/http-exception';
import { modelAliasMap, modelVersionsOf, paramDiff, type ModelVersion, type ParamDiff, type Store } from '../data/store.ts';

export interface ModelPageData {
  name: string;
  versions: ModelVersion[];
  aliases: Record<string, number>;
  /** Params whose values differ between the versions' runs (each run once). */
  diff: ParamDiff[];
}

/** Loads a model or 404s (a name nobody registered, or one no registered name could be). */
export async function loadModel(store: Store, name: string): Promise<ModelPageData> {
  const versions = await modelVersionsOf(store, name);
  if (versions.length === 0) throw new HTTPException(404, { message: `No registered model named ${name}` });
  const runs = [...new Set(versions.map((v) => v.runId))];
  const [aliases, diff] = await Promise.all([modelAliasMap(store, name), runs.length > 1 ? paramDiff(store, runs) : Promise.resolve([])]);
  return { name, versions, aliases: Object.fromEntries(aliases), diff };
}
