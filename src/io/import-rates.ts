/**
 * `lendstats import-rates FILE`: rate history from before a user started collecting, in the CSV
 * form of SCHEMA.md or as Datum Labs daily per-market rows. The file is read and validated whole
 * before the database is touched; the rows then go in with one transaction.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

import { InputError, LendstatsError } from '../domain/errors.js';
import type { RatesColumn, RatesRow } from '../pipeline/readers/types.js';
import type { Store } from '../store/connection.js';
import { inTransaction } from '../store/transaction.js';
import { applyTable, type TableCounts } from './import-apply.js';
import { parseRatesCsv } from './rates-csv.js';
import {
  parseDatumlabCsv,
  parseDatumlabRiskParams,
  parseSymbolMapJson,
  type SkippedLabel,
} from './rates-datumlab.js';
import { rowsTable } from './row-table.js';

export const RATES_FORMATS = ['csv', 'datumlab'] as const;

export type RatesFormat = (typeof RATES_FORMATS)[number];

export interface RatesFileOptions {
  /** Default: told by the header. */
  format?: RatesFormat;
  /** Path of a JSON symbol map (datumlab only). */
  symbolMap?: string;
  /** Path of a risk-parameter CSV (datumlab only). */
  riskParams?: string;
}

export interface RatesFile {
  file: string;
  format: RatesFormat;
  /** The columns the file gives values for; others keep their stored values. */
  columns: RatesColumn[];
  rows: RatesRow[];
  unknownSymbols: SkippedLabel[];
  unknownProtocols: { protocol: string; rows: number }[];
  ignoredColumns: string[];
}

/** Reads (plain or .gz) and validates the file; a bad row throws an InputError. */
export async function readRatesFile(
  path: string,
  options: RatesFileOptions = {},
): Promise<RatesFile> {
  const text = await readText(path);
  const format = options.format ?? detectFormat(text, path);
  if (format === 'csv') {
    if (options.symbolMap !== undefined || options.riskParams !== undefined) {
      throw new LendstatsError(
        'BAD_ARGUMENT',
        '--symbol-map and --risk-params apply to the datumlab format only',
      );
    }
    const csv = parseRatesCsv(text, path);
    return { file: path, format, ...csv, unknownSymbols: [], unknownProtocols: [] };
  }

  const symbolMap =
    options.symbolMap === undefined
      ? undefined
      : parseSymbolMapJson(await readText(options.symbolMap), options.symbolMap);
  const riskParams =
    options.riskParams === undefined
      ? undefined
      : parseDatumlabRiskParams(await readText(options.riskParams), options.riskParams);
  const rates = parseDatumlabCsv(text, path, {
    ...(symbolMap === undefined ? {} : { symbolMap }),
    ...(riskParams === undefined ? {} : { riskParams }),
  });
  return { file: path, format, ...rates, ignoredColumns: [] };
}

/** Upserts the file's rows, writing only the columns it has, in one transaction. */
export async function saveRates(store: Store, rates: RatesFile): Promise<TableCounts> {
  const values = rates.rows.map((row) => rates.columns.map((column) => row[column]));
  const table = rowsTable('rates_snapshot', rates.columns, values, rates.file);
  return inTransaction(store, (db) => applyTable(store, db, table));
}

/**
 * `csv` when the header names `timestamp` and `token_contract`; `datumlab` when it names `date`,
 * `protocol` and `symbol`.
 */
export function detectFormat(text: string, file: string): RatesFormat {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names = new Set(
    firstLine.split(',').map((name) => name.trim().replace(/^"|"$/g, '').trim().toLowerCase()),
  );
  if (names.has('timestamp') && names.has('token_contract')) return 'csv';
  if (names.has('date') && names.has('protocol') && names.has('symbol')) return 'datumlab';
  throw new InputError(
    file,
    1,
    null,
    'cannot tell the format from the header: expected rates_snapshot columns (timestamp, ' +
      'protocol, token_contract, …) or Datum Labs daily columns (date, protocol, symbol, …); ' +
      'or give --format csv|datumlab',
  );
}

async function readText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(path, null, null, `cannot be read: ${(error as Error).message}`);
  }
  return path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}
