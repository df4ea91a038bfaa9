/**
 * Loads one validated table into the open transaction: rows new to the database are inserted,
 * rows whose file columns differ are updated (only those columns), equal rows are left alone.
 */
import type { Kysely } from 'kysely';
import { InputError } from '../domain/errors.js';
import { readStoredTime } from '../domain/time.js';
import type { Store } from '../store/connection.js';
import type { Database } from '../store/schema.js';
import {
  addMissingColumns,
  insertTableRows,
  readTableRows,
  updateTableRows,
  type RowUpdate,
  type TimeScope,
} from '../store/table-rows.js';
import type { ColumnSpec } from '../store/tables.js';
import type { CellValue } from './cell-schemas.js';
import { keyOf, type ParsedRow, type ParsedTable } from './table-file.js';

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Optional columns the table lacked and the file brought. */
  addedColumns: string[];
}

interface ExistingRow {
  /** In the order of the read columns. */
  values: unknown[];
  /** The key as stored, for the UPDATE's WHERE. */
  storedKey: unknown[];
}

/** The one per-table word used in "required for a new ..." messages. */
const ROW_NOUN: Record<string, string> = {
  positions: 'position',
  position_rebalances: 'rebalance row',
};

export async function applyTable(
  store: Store,
  db: Kysely<Database>,
  table: ParsedTable,
): Promise<TableCounts> {
  const { spec, columns } = table;
  const optional = columns.filter((column) => column.optional);
  const addedColumns = await addMissingColumns(store, db, spec.name, optional);

  const keyColumns = spec.key.map((name) => spec.columns.find((c) => c.name === name)!);
  const uniqueNames = spec.unique.flat();
  const readColumns = dedupe([
    ...keyColumns,
    ...columns,
    ...spec.columns.filter((c) => uniqueNames.includes(c.name)),
  ]);
  const existing = await readExisting(store, db, table, readColumns, keyColumns.length);

  const inserts: CellValue[][] = [];
  const updates: RowUpdate[] = [];
  const setColumns = columns.filter((column) => !spec.key.includes(column.name));
  const storedAt = columns.map((column) => readColumns.indexOf(column));
  const setAt = setColumns.map((column) => columns.indexOf(column));
  let unchanged = 0;
  for (const row of table.rows) {
    const stored = existing.get(row.key);
    if (stored === undefined) {
      checkNewRow(table, row);
      inserts.push(row.values);
      continue;
    }
    const same = columns.every((column, i) =>
      sameValue(column, stored.values[storedAt[i]!], row.values[i]!),
    );
    if (same) {
      unchanged += 1;
      continue;
    }
    const set = setAt.map((at) => row.values[at]!);
    updates.push({ set, key: stored.storedKey });
  }
  checkUnique(table, readColumns, existing);

  await insertTableRows(store, db, spec.name, columns, inserts);
  await updateTableRows(store, db, spec.name, setColumns, keyColumns, updates);
  return { inserted: inserts.length, updated: updates.length, unchanged, addedColumns };
}

/** Existing rows by key; a timestamp-keyed table is read only over the file's time span. */
async function readExisting(
  store: Store,
  db: Kysely<Database>,
  table: ParsedTable,
  readColumns: readonly ColumnSpec[],
  keyCount: number,
): Promise<Map<string, ExistingRow>> {
  const scope = timeScope(table);
  const names = readColumns.map((column) => column.name);
  const rows = await readTableRows(store, db, table.spec.name, names, scope);

  const byKey = new Map<string, ExistingRow>();
  for (const values of rows) {
    const storedKey = values.slice(0, keyCount);
    const key = storedKeyOf(readColumns, storedKey);
    if (key !== null) byKey.set(key, { values, storedKey });
  }
  return byKey;
}

function timeScope(table: ParsedTable): TimeScope | undefined {
  const at = table.columns.findIndex((column) => column.name === 'timestamp');
  if (at === -1 || !table.spec.key.includes('timestamp') || table.rows.length === 0) {
    return undefined;
  }
  let from = Infinity;
  let to = -Infinity;
  for (const row of table.rows) {
    const instant = row.values[at] as number;
    if (instant < from) from = instant;
    if (instant > to) to = instant;
  }
  return { from, to };
}

/** The key identity of a stored row, or null when a stored time cannot be read (never ours). */
function storedKeyOf(columns: readonly ColumnSpec[], storedKey: readonly unknown[]): string | null {
  const parts: CellValue[] = [];
  for (const [i, value] of storedKey.entries()) {
    if (columns[i]!.kind !== 'time') {
      parts.push(String(value));
      continue;
    }
    const instant = readInstant(value);
    if (instant === null) return null;
    parts.push(instant);
  }
  return keyOf(parts);
}

function readInstant(value: unknown): number | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  try {
    return readStoredTime(value);
  } catch {
    return null;
  }
}

function sameValue(column: ColumnSpec, stored: unknown, value: CellValue): boolean {
  if (stored === null || stored === undefined || value === null) {
    return (stored === null || stored === undefined) && value === null;
  }
  switch (column.kind) {
    case 'time':
      return readInstant(stored) === value;
    case 'text':
    case 'status':
      return String(stored) === value;
    default:
      return Number(stored) === value;
  }
}

function checkNewRow(table: ParsedTable, row: ParsedRow): void {
  for (const name of table.spec.requiredForNew) {
    if (!table.columns.some((column) => column.name === name)) {
      const noun = ROW_NOUN[table.spec.name] ?? 'row';
      throw new InputError(table.file, row.line, name, `is required for a new ${noun}`);
    }
  }
}

/** Each further unique column set (e.g. position_id, sequence_number) names one row at most. */
function checkUnique(
  table: ParsedTable,
  readColumns: readonly ColumnSpec[],
  existing: ReadonlyMap<string, ExistingRow>,
): void {
  for (const names of table.spec.unique) {
    const owners = new Map<string, number | null>();
    const tuples = new Map<string, { tuple: CellValue[] | null; line: number | null }>();
    for (const [key, row] of existing) {
      const tuple = names.map((name) => row.values[readColumns.findIndex((c) => c.name === name)]);
      tuples.set(key, { tuple: asCells(tuple), line: null });
    }
    for (const row of table.rows) {
      const before = tuples.get(row.key)?.tuple ?? null;
      const tuple = names.map((name, i) => {
        const at = table.columns.findIndex((column) => column.name === name);
        return at === -1 ? (before?.[i] ?? null) : row.values[at]!;
      });
      tuples.set(row.key, { tuple, line: row.line });
    }

    for (const { tuple, line } of tuples.values()) {
      if (tuple === null || tuple.some((value) => value === null)) continue;
      const identity = keyOf(tuple);
      if (!owners.has(identity)) {
        owners.set(identity, line);
        continue;
      }
      const ownerLine = owners.get(identity) ?? null;
      // A clash between two stored rows predates this import and is not the file's fault.
      if (line === null && ownerLine === null) continue;
      const where = ownerLine === null ? 'a row already in the database' : `line ${ownerLine}`;
      throw new InputError(
        table.file,
        line ?? ownerLine,
        names.join(', '),
        `(${tuple.join(', ')}) is already used by ${where}; it must be unique`,
      );
    }
  }
}

function asCells(values: readonly unknown[]): CellValue[] | null {
  return values.map((value) =>
    value === null || value === undefined
      ? null
      : typeof value === 'number'
        ? value
        : String(value),
  );
}

function dedupe(columns: readonly ColumnSpec[]): ColumnSpec[] {
  return [...new Set(columns)];
}
