/**
 * The PostgreSQL tables, derived column by column from the one schema in schema.ts, so both
 * dialects' migrations (drizzle-kit) come from the same definition. Queries keep using the tables
 * of schema.ts: drizzle renders them for either dialect, and these only fix the PostgreSQL types.
 */
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { schema } from './schema.ts';

/** Raw bytes (artifact chunks): node-postgres sends and returns a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Tables whose foreign key PostgreSQL does not check per row: a per-row RI trigger halves metric
 * ingest. The batch's metric_summaries row (checked, same transaction) still rejects an unknown
 * run, and drizzle/pg/0001_metrics_cascade.sql deletes a run's metrics with it, statement-wide.
 */
const UNCHECKED_REFERENCES = new Set(['metrics']);

type AnyPgTable = PgTableWithColumns<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** SQLite column type -> PostgreSQL builder. Integers are bigint: timestamps are epoch ms. */
const TYPES: Record<string, (name: string, col: SQLiteColumn) => PgColumnBuilderBase> = {
  SQLiteText: (name) => text(name),
  SQLiteReal: (name) => doublePrecision(name),
  SQLiteBoolean: (name) => boolean(name),
  SQLiteBlobBuffer: (name) => bytea(name),
  SQLiteInteger: (name, col) =>
    'autoIncrement' in col && col.autoIncrement === true ? bigint(name, { mode: 'number' }).generatedByDefaultAsIdentity() : bigint(name, { mode: 'number' }),
};

function pgColumn(col: SQLiteColumn): PgColumnBuilderBase {
  const make = TYPES[col.columnType];
  if (make === undefined) throw new Error(`no PostgreSQL type for ${col.columnType} (${col.name})`);
  // The builders are chainable; notNull/primaryKey/unique keep the SQLite column's constraints.
  let b = make(col.name, col) as PgColumnBuilderBase & { notNull(): unknown; primaryKey(): unknown; unique(name?: string): unknown };
  if (col.primary) b = b.primaryKey() as typeof b;
  else if (col.notNull) b = b.notNull() as typeof b;
  if (col.isUnique) b = b.unique(col.uniqueName) as typeof b;
  return b;
}

function pgTableFrom(table: SQLiteTable, built: Map<string, AnyPgTable>): AnyPgTable {
  const cfg = getTableConfig(table);
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const col of cfg.columns) columns[col.name] = pgColumn(col);
  return pgTable(cfg.name, columns, (t) => {
    const byName = (c: { name: string }) => t[c.name];
    const extras = [];
    for (const pk of cfg.primaryKeys) extras.push(primaryKey({ name: pk.getName(), columns: pk.columns.map(byName) as [never, ...never[]] }));
    for (const idx of cfg.indexes) {
      const cols = idx.config.columns.map((c) => byName(c as SQLiteColumn)) as [never, ...never[]];
      extras.push((idx.config.unique ? uniqueIndex : index)(idx.config.name).on(...cols));
    }
    for (const fk of UNCHECKED_REFERENCES.has(cfg.name) ? [] : cfg.foreignKeys) {
      const ref = fk.reference();
      const target = built.get(getTableConfig(ref.foreignTable).name);
      if (target === undefined) throw new Error(`${cfg.name} references a table defined after it`);
      const made = foreignKey({
        name: fk.getName(),
        columns: ref.columns.map(byName) as [never, ...never[]],
        foreignColumns: ref.foreignColumns.map((c) => target[c.name]) as [never, ...never[]],
      });
      extras.push(fk.onDelete !== undefined ? made.onDelete(fk.onDelete) : made);
    }
    return extras;
  });
}

function buildAll(): Record<string, AnyPgTable> {
  const built = new Map<string, AnyPgTable>();
  const out: Record<string, AnyPgTable> = {};
  for (const [key, table] of Object.entries(schema)) {
    const pg = pgTableFrom(table, built);
    built.set(getTableConfig(table).name, pg);
    out[key] = pg;
  }
  return out;
}

/** The PostgreSQL tables, keyed like `schema`. */
export const pgSchema = buildAll();

export const { experiments, runs, params, metrics, metricSummaries, metricRollups, tags, artifacts, sweeps, trials, modelVersions, modelAliases, blobs, blobChunks } = pgSchema;
