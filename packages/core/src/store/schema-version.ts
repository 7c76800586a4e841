/**
 * Which schema a store has against the migrations this Kiln ships. A store migrated by a newer
 * Kiln records migrations this one does not know (in drizzle's `__drizzle_migrations`); writing to
 * it with the old schema in mind would fail mid-run or lose data, so it is refused before any write.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { StoreFault } from './faults.ts';

/** A row of drizzle's bookkeeping table: the migration's hash and its folder timestamp. */
export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export interface SchemaState {
  /** Migrations this Kiln ships. */
  known: number;
  /** Known migrations the store has not applied yet. */
  pending: number;
  /** Applied migrations newer than any this Kiln ships. */
  unknown: AppliedMigration[];
  applied: number;
  /** Tag of this Kiln's last migration, e.g. `0002_run_pipeline`. */
  latestKnown: string;
}

function journalTags(folder: string): Map<number, string> {
  const file = join(folder, 'meta', '_journal.json');
  if (!existsSync(file)) return new Map();
  const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { when: number; tag: string }[] };
  return new Map(journal.entries.map((e) => [e.when, e.tag]));
}

/** Compares the store's applied migrations with those in `folder`. */
export function compareSchema(folder: string, applied: AppliedMigration[]): SchemaState {
  const known = readMigrationFiles({ migrationsFolder: folder });
  const knownMillis = new Set(known.map((m) => m.folderMillis));
  const newestKnown = Math.max(-1, ...known.map((m) => m.folderMillis));
  const appliedMillis = new Set(applied.map((a) => a.createdAt));
  const newestApplied = Math.max(-1, ...applied.map((a) => a.createdAt));
  return {
    known: known.length,
    // drizzle applies what is newer than the newest applied; so does migrateLocked
    pending: known.filter((m) => m.folderMillis > newestApplied && !appliedMillis.has(m.folderMillis)).length,
    unknown: applied.filter((a) => !knownMillis.has(a.createdAt) && a.createdAt > newestKnown),
    applied: applied.length,
    latestKnown: journalTags(folder).get(newestKnown) ?? (newestKnown < 0 ? 'none' : new Date(newestKnown).toISOString()),
  };
}

/** The refusal for a store newer than this Kiln, naming both schema versions; undefined when the store is not newer. */
export function newerSchemaFault(state: SchemaState, where: string): StoreFault | undefined {
  if (state.unknown.length === 0) return undefined;
  const newest = Math.max(...state.unknown.map((u) => u.createdAt));
  return new StoreFault({
    code: 'store/newer-schema',
    path: '',
    file: where,
    message: `the store's schema is version ${state.applied} (its last migration is from ${new Date(newest).toISOString()}), newer than this Kiln's version ${state.known} (${state.latestKnown}); nothing was written`,
    hint: 'use the Kiln version that migrated this store (or newer); an older Kiln would write rows the newer schema does not expect',
  });
}

/** Throws the newer-schema refusal when `applied` holds migrations this Kiln does not know. */
export function refuseNewerSchema(folder: string, applied: AppliedMigration[], where: string): SchemaState {
  const state = compareSchema(folder, applied);
  const fault = newerSchemaFault(state, where);
  if (fault) throw fault;
  return state;
}
