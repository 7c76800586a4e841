/**
 * What each trial's run logged for the sweep's metric besides the kept model's value the sweep scores (final):
 * the best epoch's value and the last epoch's, so the sweep page can show all three, named, next to each other.
 */
import { listRuns, type Goal, type Store, type Trial } from '../data/store.ts';

export interface LoggedValues {
  best: number | null;
  last: number | null;
}

const BATCH = 200;
const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Best and last logged value of `metric` per trial number (trials without a run are absent). */
export async function loggedValues(store: Store, trials: Trial[], metric: string, goal: Goal): Promise<Record<number, LoggedValues>> {
  const byRun = new Map(trials.flatMap((t) => (t.runId !== null && RUN_ID.test(t.runId) ? [[t.runId, t.number] as const] : [])));
  const ids = [...byRun.keys()];
  const out: Record<number, LoggedValues> = {};
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    // ids are checked against RUN_ID above, so quoting them into the filter language is safe
    const page = await listRuns(store, { filter: `id in (${chunk.map((id) => `"${id}"`).join(', ')})`, limit: chunk.length });
    for (const r of page.runs) {
      const m = r.metrics[metric];
      const n = byRun.get(r.id);
      if (m === undefined || n === undefined) continue;
      out[n] = { best: goal === 'minimize' ? m.min : m.max, last: m.last };
    }
  }
  return out;
}
