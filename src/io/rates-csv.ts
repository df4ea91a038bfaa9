/**
 * `rates_snapshot.csv` in the CSV form of SCHEMA.md -> validated rows. Pure: the caller reads the
 * file and passes its text and name (the name only appears in errors).
 *
 * Header names compare without case. The key columns (`timestamp`, `protocol`,
 * `token_contract`) are required; any other column may be left out, and `columns` tells which
 * ones the file has so an update writes only those. Header names that are not columns of the
 * table are listed in `ignoredColumns`, not refused, since exports of other tools may carry extra
 * columns. Empty field = NULL. Times are UTC in any form `readStoredTime` accepts. Coin types are
 * normalized (`0x0…02::sui::SUI` -> `0x2::sui::SUI`); protocols are kept as written.
 */
import { InputError } from '../domain/errors.js';
import { marketKey, normalizeCoinType } from '../domain/market.js';
import { readStoredTime, TimeFormatError } from '../domain/time.js';
import {
  emptyRatesRow,
  RATES_COLUMNS,
  RATES_KEY_COLUMNS,
  RATES_TEXT_COLUMNS,
  type RatesColumn,
  type RatesRow,
} from '../pipeline/readers/types.js';
import { parseCsvText, type CsvTextRecord } from './csv-text.js';

export interface RatesCsv {
  /** Columns present in the file, key included, in file order. */
  columns: RatesColumn[];
  /** Header names that are not `rates_snapshot` columns; their values are not read. */
  ignoredColumns: string[];
  /** One row per key, in file order; columns absent from the file are NULL. */
  rows: RatesRow[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COIN_TYPE = /^(0x)?[0-9a-f]+::[a-z_][a-z0-9_]*::[a-z_][a-z0-9_]*(<.+>)?$/i;
const KNOWN = new Set<string>(RATES_COLUMNS);
const TEXT = new Set<string>(RATES_TEXT_COLUMNS);

/** Validates every row; the first bad field throws an InputError with its line and column. */
export function parseRatesCsv(text: string, file: string): RatesCsv {
  const csv = parseCsvText(text, file);
  const header = csv.header.map((name) => name.trim().toLowerCase());
  const columns = checkHeader(header, file);

  const rows: RatesRow[] = [];
  const lineOfKey = new Map<string, number>();
  for (const record of csv.records) {
    const row = readRow(record, header, file);
    const key = `${row.timestamp}|${marketKey(row.protocol, row.token_contract)}`;
    const earlier = lineOfKey.get(key);
    if (earlier !== undefined) {
      throw new InputError(file, record.line, null, `repeats the key of line ${earlier}`);
    }
    lineOfKey.set(key, record.line);
    rows.push(row);
  }

  return {
    columns,
    ignoredColumns: csv.header.filter((_, i) => !KNOWN.has(header[i]!)),
    rows,
  };
}

function checkHeader(header: string[], file: string): RatesColumn[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new InputError(file, 1, name, 'appears twice in the header');
    seen.add(name);
  }
  for (const name of RATES_KEY_COLUMNS) {
    if (!seen.has(name)) {
      throw new InputError(file, 1, name, 'is missing from the header; it is part of the key');
    }
  }
  return header.filter((name): name is RatesColumn => KNOWN.has(name));
}

function readRow(record: CsvTextRecord, header: string[], file: string): RatesRow {
  const field = (column: RatesColumn): string => {
    const index = header.indexOf(column);
    return index === -1 ? '' : (record.fields[index] ?? '').trim();
  };
  const fail = (column: string, detail: string): InputError =>
    new InputError(file, record.line, column, detail);

  const row = emptyRatesRow(
    readTimestamp(field('timestamp'), fail),
    required(field('protocol'), 'protocol', fail),
    readCoinType(required(field('token_contract'), 'token_contract', fail), fail),
  );
  const values = row as unknown as Record<RatesColumn, string | number | null>;
  for (const column of header) {
    if (!KNOWN.has(column) || (RATES_KEY_COLUMNS as readonly string[]).includes(column)) continue;
    const text = field(column as RatesColumn);
    if (text === '') continue;
    values[column as RatesColumn] = TEXT.has(column) ? text : readNumber(text, column, fail);
  }
  if (row.reward_token_contract !== null) {
    row.reward_token_contract = readCoinType(
      row.reward_token_contract,
      fail,
      'reward_token_contract',
    );
  }
  return row;
}

type Fail = (column: string, detail: string) => InputError;

function required(text: string, column: string, fail: Fail): string {
  if (text === '') throw fail(column, 'is empty; it is part of the key');
  return text;
}

function readTimestamp(text: string, fail: Fail): number {
  if (text === '') throw fail('timestamp', 'is empty; it is part of the key');
  try {
    return readStoredTime(text);
  } catch (error) {
    if (error instanceof TimeFormatError) throw fail('timestamp', error.message);
    throw error;
  }
}

function readCoinType(text: string, fail: Fail, column = 'token_contract'): string {
  if (!COIN_TYPE.test(text)) {
    throw fail(column, `'${text}' is not a coin type like 0x2::sui::SUI`);
  }
  return normalizeCoinType(text);
}

function readNumber(text: string, column: string, fail: Fail): number {
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value))
    throw fail(column, `'${text}' is not a number`);
  return value;
}
