/**
 * Brings any database to the layout lendstats needs by adding what is missing: tables, columns,
 * the unique index the statistics upsert relies on, indexes, and (PostgreSQL) unbounded metric
 * columns. It never renames or drops, so existing databases keep working for other programs.
 */
import { sql, type Kysely } from 'kysely';
import { METRIC_COLUMNS } from '../domain/types.js';
import type { Dialect, Store } from './connection.js';
import { BOOKKEEPING_TABLES } from './bookkeeping-tables.js';
import { listColumns, listIndexes, type ExistingIndex } from './introspect.js';
import type { Database } from './schema.js';
import { TABLES, TABLE_NAMES, type ColumnSpec, type TableDefinition } from './tables.js';
import { quoteId as id, quoteLiteral as literal, SQL_TYPES } from './sql-text.js';
import { inTransaction } from './transaction.js';

export const SCHEMA_VERSION = '1';

export interface MigrationReport {
  createdTables: string[];
  addedColumns: string[];
  createdIndexes: string[];
  widenedColumns: string[];
  /** The version stored before this call (null for a database lendstats never opened). */
  previousVersion: string | null;
}

interface IndexWish {
  table: string;
  columns: string[];
  unique: boolean;
}

const INDEXES: readonly IndexWish[] = [
  { table: 'position_statistics', columns: ['position_id', 'timestamp'], unique: true },
  { table: 'position_statistics', columns: ['timestamp'], unique: false },
  { table: 'position_statistics', columns: ['calculation_timestamp'], unique: false },
  { table: 'rates_snapshot', columns: ['protocol', 'token_contract', 'timestamp'], unique: false },
  { table: 'rates_snapshot', columns: ['timestamp'], unique: false },
  { table: 'lendstats_run_failures', columns: ['run_id'], unique: false },
];

/** Arbitrary but fixed: serializes concurrent migrations on one PostgreSQL database. */
const MIGRATION_LOCK_KEY = 7_291_604_113;

export async function migrate(store: Store): Promise<MigrationReport> {
  return inTransaction(store, async (db) => {
    if (store.dialect === 'postgres') {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(db);
    }
    const report: MigrationReport = {
      createdTables: [],
      addedColumns: [],
      createdIndexes: [],
      widenedColumns: [],
      previousVersion: null,
    };

    const definitions = [...TABLE_NAMES.map((name) => TABLES[name]), ...BOOKKEEPING_TABLES];
    for (const definition of definitions) {
      await ensureTable(db, store.dialect, definition, report);
    }
    for (const wish of INDEXES) {
      await ensureIndex(db, store.dialect, wish, report);
    }
    if (store.dialect === 'postgres') await widenMetrics(db, report);

    report.previousVersion = await recordVersion(db);
    return report;
  });
}

async function ensureTable(
  db: Kysely<Database>,
  dialect: Dialect,
  definition: TableDefinition,
  report: MigrationReport,
): Promise<void> {
  const existing = await listColumns(db, dialect, definition.name);
  const wanted = definition.columns.filter((column) => !column.optional);

  if (existing.size === 0) {
    await run(db, createTableSql(dialect, definition, wanted));
    report.createdTables.push(definition.name);
    return;
  }

  for (const column of wanted.filter((spec) => !existing.has(spec.name))) {
    await run(db, `ALTER TABLE ${id(definition.name)} ADD COLUMN ${columnSql(dialect, column)}`);
    report.addedColumns.push(`${definition.name}.${column.name}`);
  }
}

function createTableSql(
  dialect: Dialect,
  definition: TableDefinition,
  columns: readonly ColumnSpec[],
): string {
  const keyed = new Set(definition.key);
  const lines = columns.map(
    (column) => columnSql(dialect, column) + (keyed.has(column.name) ? ' NOT NULL' : ''),
  );
  if (definition.key.length > 0) lines.push(`PRIMARY KEY (${definition.key.map(id).join(', ')})`);
  for (const unique of definition.unique) lines.push(`UNIQUE (${unique.map(id).join(', ')})`);
  return `CREATE TABLE ${id(definition.name)} (\n  ${lines.join(',\n  ')}\n)`;
}

function columnSql(dialect: Dialect, column: ColumnSpec): string {
  const base = `${id(column.name)} ${SQL_TYPES[dialect][column.kind]}`;
  return column.defaultText === undefined ? base : `${base} DEFAULT ${literal(column.defaultText)}`;
}

/** Creates the index unless one already starts with the wished columns (a PK counts). */
async function ensureIndex(
  db: Kysely<Database>,
  dialect: Dialect,
  wish: IndexWish,
  report: MigrationReport,
): Promise<void> {
  const indexes = await listIndexes(db, dialect, wish.table);
  if (indexes.some((index) => serves(index, wish))) return;

  const name = `${wish.table}_${wish.columns.join('_')}_${wish.unique ? 'key' : 'idx'}`;
  const kind = wish.unique ? 'UNIQUE INDEX' : 'INDEX';
  await run(
    db,
    `CREATE ${kind} ${id(name)} ON ${id(wish.table)} (${wish.columns.map(id).join(', ')})`,
  );
  report.createdIndexes.push(name);
}

function serves(index: ExistingIndex, wish: IndexWish): boolean {
  if (wish.unique) {
    // ON CONFLICT needs a unique index on exactly these columns, in any order.
    return (
      index.unique &&
      index.columns.length === wish.columns.length &&
      wish.columns.every((column) => index.columns.includes(column))
    );
  }
  return wish.columns.every((column, i) => index.columns[i] === column);
}

/** Bounded DECIMALs round and reject large values (SPEC-statistics.md, "Storage precision"). */
async function widenMetrics(db: Kysely<Database>, report: MigrationReport): Promise<void> {
  const columns = await listColumns(db, 'postgres', 'position_statistics');
  for (const metric of METRIC_COLUMNS) {
    const column = columns.get(metric);
    if (column === undefined || column.type !== 'numeric' || column.numericPrecision === null) {
      continue;
    }
    await run(
      db,
      `ALTER TABLE position_statistics ALTER COLUMN ${id(column.name)} TYPE DOUBLE PRECISION`,
    );
    report.widenedColumns.push(`position_statistics.${metric}`);
  }
}

async function recordVersion(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('lendstats_meta')
    .select('value')
    .where('key', '=', 'schema_version')
    .executeTakeFirst();
  const previous = row?.value ?? null;
  if (previous === SCHEMA_VERSION) return previous;

  if (previous === null) {
    await db
      .insertInto('lendstats_meta')
      .values({ key: 'schema_version', value: SCHEMA_VERSION })
      .execute();
  } else {
    await db
      .updateTable('lendstats_meta')
      .set({ value: SCHEMA_VERSION })
      .where('key', '=', 'schema_version')
      .execute();
  }
  return previous;
}

async function run(db: Kysely<Database>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
