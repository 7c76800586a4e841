import { tables } from '@kiln/core/store';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';

/** `kiln tag RUN key=value...`: set tags on a finished or running run. */
export async function run(args: Args<'tag'>): Promise<number> {
  const [id, ...pairs] = args.positionals;
  if (!id || pairs.length === 0) throw usageError('cli/missing-argument', '', 'kiln tag needs a run id and at least one key=value', 'kiln tag 1a2b3c team=nlp');
  const parsed = pairs.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw usageError('cli/bad-tag', '', `cannot read tag "${p}"`, 'write key=value');
    return { key: p.slice(0, eq), value: p.slice(eq + 1) };
  });
  await withStore(args, async (store) => {
    const runId = await resolveRunId(store, id);
    for (const { key, value } of parsed)
      await store.db.insert(tables.tags).values({ runId, key, value }).onConflictDoUpdate({ target: [tables.tags.runId, tables.tags.key], set: { value } });
    process.stdout.write(`tagged ${runId}: ${parsed.map((t) => `${t.key}=${t.value}`).join(', ')}\n`);
  }, 'write');
  return EXIT.ok;
}
