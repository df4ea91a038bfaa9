/** What a database already has: columns and indexes of a table, names in lower case. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './connection.js';
import type { Database } from './schema.js';

export interface ExistingColumn {
  /** As declared (SQLite keeps `L_A`); compare through the lower-case map key. */
  name: string;
  /** Lower-case SQL type, e.g. `decimal(20,10)`, `numeric`, `timestamp without time zone`. */
  type: string;
  /** Declared precision of a bounded NUMERIC/DECIMAL (PostgreSQL), else null. */
  numericPrecision: number | null;
}

export interface ExistingIndex {
  name: string;
  unique: boolean;
  /** Lower case, in index order. */
  columns: string[];
}

/** Columns of `table` keyed by lower-case name; empty when the table does not exist. */
export async function listColumns(
  db: Kysely<Database>,
  dialect: Dialect,
  table: string,
): Promise<Map<string, ExistingColumn>> {
  const rows =
    dialect === 'sqlite'
      ? await sqliteColumns(db, table)
      : await sql<{ name: string; type: string; numeric_precision: number | null }>`
          SELECT column_name AS name, data_type AS type, numeric_precision
          FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = ${table}
          ORDER BY ordinal_position`
          .execute(db)
          .then((result) => result.rows);

  return new Map(
    rows.map((row) => [
      row.name.toLowerCase(),
      { name: row.name, type: row.type.toLowerCase(), numericPrecision: row.numeric_precision },
    ]),
  );
}

async function sqliteColumns(
  db: Kysely<Database>,
  table: string,
): Promise<{ name: string; type: string; numeric_precision: null }[]> {
  const result = await sql<{ name: string; type: string }>`
    SELECT name AS name, type AS type FROM pragma_table_info(${table})`.execute(db);
  return result.rows.map((row) => ({ ...row, numeric_precision: null }));
}

/** Indexes of `table`, including those behind PRIMARY KEY and UNIQUE constraints. */
export async function listIndexes(
  db: Kysely<Database>,
  dialect: Dialect,
  table: string,
): Promise<ExistingIndex[]> {
  if (dialect === 'postgres') {
    const result = await sql<{ name: string; unique: boolean; columns: string[] }>`
      SELECT c.relname AS name, ix.indisunique AS unique,
        array(
          SELECT a.attname::text
          FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
          ORDER BY k.ord
        ) AS columns
      FROM pg_index ix
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_class c ON c.oid = ix.indexrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname = ${table} AND ix.indpred IS NULL`.execute(
      db,
    );
    return result.rows.map((row) => ({ ...row, columns: row.columns.map(lower) }));
  }

  const list = await sql<{ name: string; unique: number; partial: number }>`
    SELECT name AS name, "unique" AS "unique", partial AS partial
    FROM pragma_index_list(${table})`.execute(db);
  const indexes: ExistingIndex[] = [];
  for (const index of list.rows.filter((row) => row.partial === 0)) {
    const info = await sql<{ name: string | null }>`
      SELECT name AS name FROM pragma_index_info(${index.name}) ORDER BY seqno`.execute(db);
    const columns = info.rows.map((row) => (row.name === null ? '' : row.name.toLowerCase()));
    indexes.push({ name: index.name, unique: index.unique === 1, columns });
  }
  return indexes;
}

function lower(text: string): string {
  return text.toLowerCase();
}
