import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { deleteRun, getRun, listRuns } from './query.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';
import { storeBefore } from './testing/migrations.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

describe.each(DIALECTS)('%s store lineage', (dialect) => {
  const base = { experiment: 'e', config: {}, yaml: 'name: x\n', configHash: 'h' };

  it("records a transfer run's parent and lists the runs that started from it, across the parent's deletion", async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const s = store;
    const tracker = createTracker(s);
    const start = (name: string, parentRunId?: string) => tracker.startRun({ ...base, name, parentRunId });
    const parent = await start('pretrain');
    const a = await start('finetune-a', parent.id);
    const b = await start('finetune-b', parent.id);
    const other = await start('scratch');
    for (const r of [parent, a, b, other]) await r.end('finished');

    const got = await getRun(s, parent.id);
    expect(got?.parentRunId).toBeNull();
    expect(got?.parent).toBeNull();
    expect(got?.children).toEqual([
      { id: a.id, name: 'finetune-a', status: 'finished' },
      { id: b.id, name: 'finetune-b', status: 'finished' },
    ]);
    const child = await getRun(s, a.id);
    expect(child?.parentRunId).toBe(parent.id);
    expect(child?.parent).toEqual({ id: parent.id, name: 'pretrain', status: 'finished' });
    expect(child?.children).toEqual([]);
    const filtered = await listRuns(s, { filter: `parentRunId = "${parent.id}"`, sort: 'name' });
    expect(filtered.runs.map((r) => r.name)).toEqual(['finetune-a', 'finetune-b']);

    // The child keeps naming its parent after the parent is deleted.
    expect(await deleteRun(s, parent.id)).toBe(true);
    expect((await getRun(s, b.id))?.parent).toEqual({ id: parent.id, deleted: true });
  });

  it('upgrades a store made before parent_run_id: old runs keep their data and have no parent', async () => {
    const url = await storeBefore(dialect, '_run_parent', [
      sql`INSERT INTO experiments (name, created_at) VALUES ('old', 1)`,
      sql`INSERT INTO runs (id, name, experiment_id, status, started_at, config_json, yaml, config_hash)
        SELECT 'r-old', 'before', id, 'finished', 1, '{}', 'x: 1', 'h' FROM experiments WHERE name = 'old'`,
    ]);
    store = await openStore(url);
    const old = await getRun(store, 'r-old');
    expect(old).toMatchObject({ name: 'before', parentRunId: null, parent: null, children: [] });
    const child = await createTracker(store).startRun({ ...base, parentRunId: 'r-old' });
    expect((await getRun(store, 'r-old'))?.children.map((r) => r.id)).toEqual([child.id]);
    await child.end('finished');
  });
});
