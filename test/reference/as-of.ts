/**
 * The tables as they stood at T: snapshots up to T, rows closed by T, and the positions row
 * describing the segment open at T (a later rebalance overwrote it; a later close set it closed).
 * SPEC-statistics.md: "Rows dated after T (snapshots, rebalances, closes) must not change any
 * statistic at T", so a statistic computed from these tables must equal the one from the full ones.
 */
import type { CsvRow } from './csv-tables.js';
import type { CsvTables } from './csv-tables.js';
import { marketName, utcSeconds } from './reference-engine.js';

const at = (row: CsvRow, key: string): number | null =>
  row[key] === null || row[key] === undefined ? null : utcSeconds(row[key]);

/** One position's rows and the rate rows of its four markets. */
export function ownTables(tables: CsvTables, positionId: string): CsvTables {
  const position = tables.positions.find((p) => p['position_id'] === positionId)!;
  const markets = new Set(
    [
      ['protocol_a', 'token1_contract'],
      ['protocol_a', 'token2_contract'],
      ['protocol_b', 'token2_contract'],
      ['protocol_b', 'token3_contract'],
    ].map(([p, c]) => marketName(position[p!]!, position[c!]!)),
  );
  return {
    positions: [position],
    rebalances: tables.rebalances.filter((r) => r['position_id'] === positionId),
    rates: tables.rates.filter((r) =>
      markets.has(marketName(r['protocol']!, r['token_contract']!)),
    ),
  };
}

/** `own` as ownTables returns it, cut at T. */
export function tablesAsOf(own: CsvTables, t: number): CsvTables {
  const position = own.positions[0]!;
  const closed = own.rebalances.filter(
    (r) => at(r, 'closing_timestamp') !== null && at(r, 'closing_timestamp')! <= t,
  );
  const openRow = own.rebalances.find(
    (r) =>
      at(r, 'closing_timestamp') !== null &&
      at(r, 'opening_timestamp')! <= t &&
      t < at(r, 'closing_timestamp')!,
  );
  const close = at(position, 'close_timestamp');

  let asOf: CsvRow = { ...position };
  if (close !== null && close > t) asOf = { ...asOf, status: 'active', close_timestamp: null };
  if (openRow !== undefined) {
    asOf = {
      ...asOf,
      deployment_usd: openRow['deployment_usd']!,
      l_a: openRow['l_a']!,
      b_a: openRow['b_a']!,
      l_b: openRow['l_b']!,
      b_b: openRow['b_b']!,
      entry_price_1a: openRow['opening_price_1a']!,
      entry_price_2a: openRow['opening_price_2a']!,
      entry_price_2b: openRow['opening_price_2b']!,
      entry_price_3b: openRow['opening_price_3b']!,
    };
  }
  return {
    positions: [asOf],
    rebalances: closed,
    rates: own.rates.filter((r) => at(r, 'timestamp')! <= t),
  };
}
