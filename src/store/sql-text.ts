/** Pieces of SQL text built from the table specs (never from input): types and quoting. */
import type { Dialect } from './connection.js';
import type { ColumnKind } from './tables.js';

export const SQL_TYPES: Record<Dialect, Record<ColumnKind, string>> = {
  sqlite: {
    time: 'TEXT',
    real: 'REAL',
    integer: 'INTEGER',
    flag: 'INTEGER',
    text: 'TEXT',
    status: 'TEXT',
  },
  postgres: {
    time: 'TIMESTAMP',
    // DOUBLE PRECISION stores every JS number bit for bit, which NUMERIC would not guarantee.
    real: 'DOUBLE PRECISION',
    integer: 'INTEGER',
    flag: 'INTEGER',
    text: 'TEXT',
    status: 'TEXT',
  },
};

/** Quoting keeps reserved words (`timestamp`) safe; identifiers stay case-insensitive in SQLite. */
export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
