/** Hand-made rates_snapshot rows, written in bulk through the import's upsert. */
import { parseTime } from '../../src/domain/time.js';
import { applyTable } from '../../src/io/import-apply.js';
import { rowsTable } from '../../src/io/row-table.js';
import { emptyRatesRow, RATES_COLUMNS, type RatesRow } from '../../src/pipeline/readers/types.js';
import type { Store } from '../../src/store/connection.js';
import { inTransaction } from '../../src/store/transaction.js';

export type RateValues = Partial<Omit<RatesRow, 'timestamp' | 'protocol' | 'token_contract'>>;

/** One row; totals follow from base and reward when both are given. */
export function rateRow(
  at: number | string,
  protocol: string,
  coin: string,
  values: RateValues,
): RatesRow {
  const row = { ...emptyRatesRow(typeof at === 'string' ? parseTime(at) : at, protocol, coin) };
  Object.assign(row, values);
  if (row.lend_base_apr !== null && row.lend_reward_apr !== null) {
    row.lend_total_apr ??= row.lend_base_apr + row.lend_reward_apr;
  }
  if (row.borrow_base_apr !== null && row.borrow_reward_apr !== null) {
    row.borrow_total_apr ??= row.borrow_base_apr - row.borrow_reward_apr;
  }
  return row;
}

export async function writeRates(store: Store, rows: readonly RatesRow[]): Promise<void> {
  const values = rows.map((row) => RATES_COLUMNS.map((column) => row[column]));
  const table = rowsTable('rates_snapshot', RATES_COLUMNS, values, 'test rates');
  await inTransaction(store, (db) => applyTable(store, db, table));
}
