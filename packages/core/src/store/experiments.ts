/** Experiments are created on first use; concurrent creators must agree on one row. */
import { eq } from 'drizzle-orm';
import type { StoreConnection } from './dialect.ts';
import { experiments } from './schema.ts';
import { withBusyRetry } from './retry.ts';

/** Returns the id of the experiment called `name`, creating it atomically if missing. */
export async function getOrCreateExperiment(conn: StoreConnection, name: string): Promise<number> {
  const { db } = conn;
  // INSERT .. ON CONFLICT DO NOTHING is a single atomic statement; the SELECT then sees whichever row won.
  await withBusyRetry(() =>
    db.insert(experiments).values({ name, createdAt: Date.now() }).onConflictDoNothing({ target: experiments.name }),
  );
  const row = await db.select({ id: experiments.id }).from(experiments).where(eq(experiments.name, name)).limit(1).then((r) => r[0]);
  if (row === undefined) throw new Error(`experiment ${name} vanished right after creation`);
  return row.id;
}
