/** One table's CSV, validated row by row: every bad field is an InputError with line and column. */
import { InputError } from '../domain/errors.js';
import type { ColumnSpec, TableSpec } from '../store/tables.js';
import { recordSchema, type CellValue } from './cell-schemas.js';
import { readCsvRecords } from './csv-file.js';

export interface ParsedRow {
  line: number;
  /** In the order of `ParsedTable.columns`. */
  values: CellValue[];
  /** Identity of the row's key: times as instants, text as written. */
  key: string;
}

export interface ParsedTable {
  spec: TableSpec;
  /** File name, for messages. */
  file: string;
  /** The header's columns, lower case, in file order. */
  columns: ColumnSpec[];
  /** One row per key, in file order. */
  rows: ParsedRow[];
  /** Lines that repeated an earlier key with identical values. */
  duplicates: number;
}

export async function readTableFile(
  spec: TableSpec,
  path: string,
  file: string,
): Promise<ParsedTable> {
  const records = readCsvRecords(path);
  const first = await records.next();
  if (first.done) throw new InputError(file, 1, null, 'the file is empty; expected a header row');
  const columns = headerColumns(spec, file, first.value.fields);
  const schema = recordSchema(columns.map((column) => column.kind));
  const keyIndexes = spec.key.map((name) => columns.findIndex((column) => column.name === name));
  const required = columns.flatMap((column, i) =>
    spec.requiredForNew.includes(column.name) ? [i] : [],
  );

  const rows: ParsedRow[] = [];
  const byKey = new Map<string, ParsedRow>();
  let duplicates = 0;
  for await (const record of records) {
    const parsed = schema.safeParse(record.fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = columns[Number(issue.path[0])]?.name ?? null;
      throw new InputError(file, record.line, column, issue.message);
    }
    const values = parsed.data;
    for (const i of keyIndexes) {
      if (values[i] === null) {
        throw new InputError(
          file,
          record.line,
          columns[i]!.name,
          'is empty; it is part of the key',
        );
      }
    }
    for (const i of required) {
      if (values[i] === null) {
        throw new InputError(file, record.line, columns[i]!.name, 'is empty; it is required');
      }
    }

    const row: ParsedRow = { line: record.line, values, key: rowKey(keyIndexes, values) };
    const earlier = byKey.get(row.key);
    if (earlier === undefined) {
      byKey.set(row.key, row);
      rows.push(row);
      continue;
    }
    const differs = values.findIndex((value, i) => value !== earlier.values[i]);
    if (differs !== -1) {
      throw new InputError(
        file,
        row.line,
        columns[differs]!.name,
        `repeats the key of line ${earlier.line} with a different value`,
      );
    }
    duplicates += 1;
  }

  return { spec, file, columns, rows, duplicates };
}

function headerColumns(spec: TableSpec, file: string, header: readonly string[]): ColumnSpec[] {
  const seen = new Set<string>();
  const columns = header.map((raw) => {
    const name = raw.trim().toLowerCase();
    const column = spec.columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      throw new InputError(file, 1, raw, `is not a column of ${spec.name}`);
    }
    if (seen.has(name)) throw new InputError(file, 1, raw, 'appears twice in the header');
    seen.add(name);
    return column;
  });

  for (const key of spec.key) {
    if (!seen.has(key)) {
      throw new InputError(file, 1, key, `is missing from the header; it is part of the key`);
    }
  }
  return columns;
}

/** Key identity: instants for times, so `2026-01-01T00:00:00Z` and `2026-01-01 00:00:00` match. */
export function keyOf(values: readonly CellValue[]): string {
  return values.map((value) => String(value)).join('\u0000');
}

function rowKey(indexes: readonly number[], values: readonly CellValue[]): string {
  return keyOf(indexes.map((i) => values[i]!));
}
