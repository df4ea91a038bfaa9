/** Typed reads of one stored row (keys already lower case), with errors that name the column. */
import { readStoredTime } from '../domain/time.js';

export class ColumnValueError extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`${column} ${reason}`);
    this.name = 'ColumnValueError';
  }
}

type Row = Record<string, unknown>;

export function optionalNumber(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return checkFinite(column, value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return checkFinite(column, Number(value));
  throw new ColumnValueError(column, `holds ${describe(value)}, not a number`);
}

export function requiredNumber(row: Row, column: string): number {
  const value = optionalNumber(row, column);
  if (value === null) throw new ColumnValueError(column, 'is empty');
  return value;
}

export function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ColumnValueError(column, `holds ${describe(value)}, not text`);
}

export function requiredText(row: Row, column: string): string {
  const value = optionalText(row, column);
  if (value === null || value.trim() === '') throw new ColumnValueError(column, 'is empty');
  return value;
}

export function optionalTime(row: Row, column: string): number | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && !(value instanceof Date)) {
    throw new ColumnValueError(column, `holds ${describe(value)}, not a timestamp`);
  }
  try {
    return readStoredTime(value);
  } catch {
    throw new ColumnValueError(column, `holds ${describe(value)}, not a timestamp`);
  }
}

export function requiredTime(row: Row, column: string): number {
  const value = optionalTime(row, column);
  if (value === null) throw new ColumnValueError(column, 'is empty');
  return value;
}

function checkFinite(column: string, value: number): number {
  if (!Number.isFinite(value)) throw new ColumnValueError(column, `holds ${value}, not a number`);
  return value;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** A parser of stored timestamp text that remembers what it has seen (snapshots repeat). */
export function cachedTimeReader(): (text: string | Date) => number {
  const seen = new Map<string, number>();
  return (value) => {
    if (value instanceof Date) return readStoredTime(value);
    let seconds = seen.get(value);
    if (seconds === undefined) {
      seconds = readStoredTime(value);
      seen.set(value, seconds);
    }
    return seconds;
  };
}
