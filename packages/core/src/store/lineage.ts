/** Transfer-learning lineage: the run a run started from (model.from.run) and the runs that started from it. */
import { asc, eq } from 'drizzle-orm';
import type { Store } from './open.ts';
import { runs } from './schema.ts';

/** Enough of a related run to link to it. */
export interface RunLink {
  id: string;
  name: string;
  status: string;
}

export interface Lineage {
  /** The parent run; `deleted` when the id is recorded but the run is gone from this store. */
  parent: RunLink | { id: string; deleted: true } | null;
  /** Runs whose parent is this run, oldest first (then by name). */
  children: RunLink[];
}

const link = { id: runs.id, name: runs.name, status: runs.status };

/** The parent (by its recorded id) and the children of one run. */
export async function runLineage(store: Store, runId: string, parentRunId: string | null): Promise<Lineage> {
  const [parent, children] = await Promise.all([
    parentRunId === null ? Promise.resolve(undefined) : store.db.select(link).from(runs).where(eq(runs.id, parentRunId)).limit(1).then((r) => r[0]),
    store.db.select(link).from(runs).where(eq(runs.parentRunId, runId)).orderBy(asc(runs.startedAt), asc(runs.name), asc(runs.id)),
  ]);
  if (parentRunId === null) return { parent: null, children };
  return { parent: parent ?? { id: parentRunId, deleted: true }, children };
}
