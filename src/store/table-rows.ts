/**
 * Generic row reads and writes of the SCHEMA.md tables, for the import. They run inside a
 * transaction from inTransaction: `db` is that transaction (PostgreSQL); on SQLite the raw
 * handle shares the single connection that holds it.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { formatTime } from '../domain/time.js';
import type { Store } from './connection.js';
import { listColumns } from './introspect.js';
import type { Database } from './schema.js';
import type { ColumnKind, ColumnSpec, TableName } from './tables.js';
import { quoteId as id, SQL_TYPES } from './sql-text.js';
import { textBelow, textFrom } from './text-bounds.js';

/** A value to write: text, a number, NULL, or UTC seconds in a `time` column. */
export type RowValue = string | number | null;

/** Bounds on the table's `timestamp` column, inclusive, UTC seconds. */
export interface TimeScope {
  from: number;
  to: number;
}

export interface RowUpdate {
  /** Values of the SET columns. */
  set: RowValue[];
  /** The key exactly as read from the database (stored text may differ from ours). */
  key: unknown[];
}

/** Rows per PostgreSQL statement: one array parameter per column, far below any limit. */
const PG_CHUNK = 10_000;

const PG_ARRAY_TYPES: Record<ColumnKind, string> = {
  time: 'timestamp[]',
  real: 'float8[]',
  integer: 'int8[]',
  flag: 'int8[]',
  text: 'text[]',
  status: 'text[]',
};

/**
 * The given columns of every row (of those whose timestamp may lie in `scope`), as arrays in
 * column order. On SQLite the scope is widened to whole days; callers compare exactly.
 */
export async function readTableRows(
  store: Store,
  db: Kysely<Database>,
  table: TableName,
  columns: readonly string[],
  scope?: TimeScope,
): Promise<unknown[][]> {
  const list = columns.map((name) => `${id(name)} AS ${id(name)}`).join(', ');
  const base = `SELECT ${list} FROM ${id(table)}`;

  if (store.sqlite !== undefined) {
    const where = scope === undefined ? '' : ' WHERE timestamp >= ? AND timestamp < ?';
    const statement = store.sqlite.prepare(base + where).raw(true);
    const params = scope === undefined ? [] : [textFrom(scope.from), textBelow(scope.to)];
    return statement.all(...params) as unknown[][];
  }

  const where = scope === undefined ? '' : ' WHERE timestamp >= $1 AND timestamp <= $2';
  const params = scope === undefined ? [] : [formatTime(scope.from), formatTime(scope.to)];
  const result = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(base + where, params),
  );
  return result.rows.map((row) => columns.map((name) => row[name]));
}

export async function insertTableRows(
  store: Store,
  db: Kysely<Database>,
  table: TableName,
  columns: readonly ColumnSpec[],
  rows: readonly RowValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((column) => id(column.name)).join(', ');
  const write = writer(columns);

  if (store.sqlite !== undefined) {
    const marks = columns.map(() => '?').join(', ');
    const statement = store.sqlite.prepare(`INSERT INTO ${id(table)} (${names}) VALUES (${marks})`);
    for (const row of rows) statement.run(write(row));
    return;
  }

  const text = `INSERT INTO ${id(table)} (${names}) SELECT * FROM unnest(${unnestArguments(columns)})`;
  for (let start = 0; start < rows.length; start += PG_CHUNK) {
    const chunk = rows.slice(start, start + PG_CHUNK).map(write);
    await db.executeQuery(CompiledQuery.raw(text, transpose(chunk, columns.length)));
  }
}

/** Sets `columns` on the rows named by their stored key. */
export async function updateTableRows(
  store: Store,
  db: Kysely<Database>,
  table: TableName,
  columns: readonly ColumnSpec[],
  keyColumns: readonly ColumnSpec[],
  updates: readonly RowUpdate[],
): Promise<void> {
  if (updates.length === 0 || columns.length === 0) return;
  const write = writer(columns);

  if (store.sqlite !== undefined) {
    const set = columns.map((column) => `${id(column.name)} = ?`).join(', ');
    const where = keyColumns.map((column) => `${id(column.name)} = ?`).join(' AND ');
    const statement = store.sqlite.prepare(`UPDATE ${id(table)} SET ${set} WHERE ${where}`);
    for (const update of updates) statement.run(...write(update.set), ...update.key);
    return;
  }

  const keyAliases = keyColumns.map((_, i) => id(`lendstats_key_${i}`));
  const set = columns.map((column) => `${id(column.name)} = v.${id(column.name)}`).join(', ');
  const aliases = [...columns.map((column) => id(column.name)), ...keyAliases].join(', ');
  const where = keyColumns.map((column, i) => `t.${id(column.name)} = v.${keyAliases[i]}`);
  const text =
    `UPDATE ${id(table)} AS t SET ${set} ` +
    `FROM unnest(${unnestArguments([...columns, ...keyColumns])}) AS v(${aliases}) ` +
    `WHERE ${where.join(' AND ')}`;
  for (let start = 0; start < updates.length; start += PG_CHUNK) {
    const chunk = updates
      .slice(start, start + PG_CHUNK)
      .map((update) => [...write(update.set), ...update.key]);
    await db.executeQuery(
      CompiledQuery.raw(text, transpose(chunk, columns.length + keyColumns.length)),
    );
  }
}

/** Adds the given columns where the table lacks them; returns the names added. */
export async function addMissingColumns(
  store: Store,
  db: Kysely<Database>,
  table: TableName,
  columns: readonly ColumnSpec[],
): Promise<string[]> {
  const existing = await listColumns(db, store.dialect, table);
  const missing = columns.filter((column) => !existing.has(column.name));
  for (const column of missing) {
    const type = SQL_TYPES[store.dialect][column.kind];
    await db.executeQuery(
      CompiledQuery.raw(`ALTER TABLE ${id(table)} ADD COLUMN ${id(column.name)} ${type}`),
    );
  }
  return missing.map((column) => column.name);
}

/** `$1::text[], $2::float8[], …`: one typed array parameter per column, for `unnest`. */
export function unnestArguments(columns: readonly ColumnSpec[]): string {
  return columns.map((column, i) => `$${i + 1}::${PG_ARRAY_TYPES[column.kind]}`).join(', ');
}

/** Turns a row's UTC seconds into `YYYY-MM-DD HH:MM:SS` text in its time columns. */
function writer(columns: readonly ColumnSpec[]): (row: readonly RowValue[]) => RowValue[] {
  const times = columns.flatMap((column, i) => (column.kind === 'time' ? [i] : []));
  const texts = new Map<number, string>();
  const format = (seconds: number): string => {
    let text = texts.get(seconds);
    if (text === undefined) texts.set(seconds, (text = formatTime(seconds)));
    return text;
  };
  return (row) => {
    const out = row.slice();
    for (const i of times) {
      const value = out[i];
      if (typeof value === 'number') out[i] = format(value);
    }
    return out;
  };
}

function transpose(rows: readonly unknown[][], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, r) => {
    for (let c = 0; c < width; c++) columns[c]![r] = row[c] ?? null;
  });
  return columns;
}
