/** Migration folders as an older Kiln shipped them, for upgrade tests. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import { connect, type DialectName } from '../dialect.ts';
import { resolveStoreUrl } from '../open.ts';
import { freshStoreUrl } from './stores.ts';

/** A copy of a dialect's migrations folder without the ones from `tag` on: a store as an older Kiln left it. */
export function migrationsBefore(dir: string, tag: string): string {
  const out = mkdtempSync(join(tmpdir(), 'kiln-migrations-'));
  cpSync(dir, out, { recursive: true });
  const journalPath = join(out, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag.endsWith(tag));
  if (cut <= 0) throw new Error(`no migration after the first ends with "${tag}" in ${dir}`);
  for (const e of journal.entries.slice(cut)) rmSync(join(out, `${e.tag}.sql`));
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return out;
}

/** A fresh store of `dialect` migrated only up to (not including) `tag`, holding `rows` written as an older Kiln would: its URL. */
export async function storeBefore(dialect: DialectName, tag: string, rows: SQL[]): Promise<string> {
  const url = await freshStoreUrl(dialect);
  const conn = await connect(resolveStoreUrl(url), { busyTimeoutMs: 5000 });
  try {
    await conn.migrate(migrationsBefore(conn.migrationsDir, tag));
    await conn.writeBatch(rows);
  } finally {
    conn.close();
  }
  return url;
}
