/** Tiny CSV reading for the reference engine: rows as plain objects, keys lower-cased, '' = NULL. */
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type CsvRow = Record<string, string | null>;

export function parseCsvText(text: string): CsvRow[] {
  const records = parse(text, { columns: false, skip_empty_lines: true }) as string[][];
  const [header, ...body] = records;
  if (header === undefined) return [];
  const keys = header.map((name) => name.trim().toLowerCase());
  return body.map((cells) => {
    const row: CsvRow = {};
    keys.forEach((key, i) => {
      const cell = cells[i];
      row[key] = cell === undefined || cell === '' ? null : cell;
    });
    return row;
  });
}

/** Reads `<table>.csv` or `<table>.csv.gz` from a folder; a missing table is an empty list. */
export function readTable(dir: string, table: string): CsvRow[] {
  const plain = join(dir, `${table}.csv`);
  if (existsSync(plain)) return parseCsvText(readFileSync(plain, 'utf8'));
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return parseCsvText(gunzipSync(readFileSync(gz)).toString('utf8'));
  return [];
}

export interface CsvTables {
  positions: CsvRow[];
  rebalances: CsvRow[];
  rates: CsvRow[];
}

export function readTables(dir: string): CsvTables {
  return {
    positions: readTable(dir, 'positions'),
    rebalances: readTable(dir, 'position_rebalances'),
    rates: readTable(dir, 'rates_snapshot'),
  };
}
