/**
 * Rows built in memory (protocol readers, rate-history parsers) as a ParsedTable, so that the
 * import's validated upsert (applyTable) writes them: one code path for every table write.
 */
import { TABLES, type TableName } from '../store/tables.js';
import type { CellValue } from './cell-schemas.js';
import { keyOf, type ParsedTable } from './table-file.js';

/**
 * `columns` name the values of each row, in order; time columns hold UTC seconds. A key that
 * repeats is refused: the caller's rows must already be one per key. `source` names the rows in
 * messages; a row's line is its position counted as in a CSV file with a header.
 */
export function rowsTable(
  table: TableName,
  columns: readonly string[],
  rows: readonly (readonly CellValue[])[],
  source: string,
): ParsedTable {
  const spec = TABLES[table];
  const specs = columns.map((name) => {
    const column = spec.columns.find((candidate) => candidate.name === name);
    if (column === undefined) throw new Error(`${name} is not a column of ${table}`);
    return column;
  });
  const keyAt = spec.key.map((name) => {
    const at = columns.indexOf(name);
    if (at === -1) throw new Error(`rows of ${table} lack the key column ${name}`);
    return at;
  });

  const seen = new Set<string>();
  const parsed = rows.map((values, index) => {
    const keyValues = keyAt.map((at) => values[at] ?? null);
    const key = keyOf(keyValues);
    if (seen.has(key)) {
      throw new Error(`${source}: the ${table} key (${keyValues.join(', ')}) repeats`);
    }
    seen.add(key);
    return { line: index + 2, values: [...values], key };
  });
  return { spec, file: source, columns: specs, rows: parsed, duplicates: 0 };
}
