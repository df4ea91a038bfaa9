/** Runs lendstats's engine and the reference on the same CSV rows and lists their disagreements. */
import { StatisticError } from '../../src/domain/errors.js';
import { marketKey } from '../../src/domain/market.js';
import { MarketSeries } from '../../src/domain/series.js';
import { PositionCalculator } from '../../src/domain/statistic.js';
import {
  LEGS,
  METRIC_COLUMNS,
  statisticColumns,
  type LegId,
  type Position,
  type PositionStatus,
  type RateRow,
  type RebalanceRow,
} from '../../src/domain/types.js';
import type { CsvRow } from './csv-tables.js';
import {
  formatUtc,
  RefError,
  referenceStatistic,
  ReferenceRates,
  utcSeconds,
} from './reference-engine.js';

const num = (row: CsvRow, key: string): number | null =>
  row[key] === null || row[key] === undefined ? null : Number(row[key]);
const req = (row: CsvRow, key: string): number => num(row, key) ?? NaN;
const time = (row: CsvRow, key: string): number | null =>
  row[key] === null || row[key] === undefined ? null : utcSeconds(row[key]);
const perLeg = <T>(read: (leg: LegId) => T): Record<LegId, T> =>
  Object.fromEntries(LEGS.map((leg) => [leg, read(leg)])) as Record<LegId, T>;

export function toPosition(row: CsvRow): Position {
  return {
    positionId: row['position_id']!,
    status: (row['status'] ?? 'active').toLowerCase() as PositionStatus,
    token1: row['token1'] ?? null,
    token2: row['token2'] ?? null,
    token3: row['token3'] ?? null,
    token1Contract: row['token1_contract']!,
    token2Contract: row['token2_contract']!,
    token3Contract: row['token3_contract']!,
    protocolA: row['protocol_a']!,
    protocolB: row['protocol_b']!,
    entryTimestamp: time(row, 'entry_timestamp')!,
    deploymentUsd: req(row, 'deployment_usd'),
    weights: { lA: req(row, 'l_a'), bA: req(row, 'b_a'), lB: req(row, 'l_b'), bB: req(row, 'b_b') },
    entryPrices: perLeg((leg) => num(row, `entry_price_${leg}`)),
    entryBorrowFee2a: num(row, 'entry_borrow_fee_2a'),
    entryBorrowFee3b: num(row, 'entry_borrow_fee_3b'),
    entryNetApr: num(row, 'entry_net_apr'),
    closeTimestamp: time(row, 'close_timestamp'),
  };
}

export function toRebalance(row: CsvRow): RebalanceRow {
  return {
    rebalanceId: row['rebalance_id'] ?? `${row['position_id']}#${row['sequence_number']}`,
    positionId: row['position_id']!,
    sequenceNumber: req(row, 'sequence_number'),
    openingTimestamp: time(row, 'opening_timestamp')!,
    closingTimestamp: time(row, 'closing_timestamp'),
    deploymentUsd: num(row, 'deployment_usd'),
    weights: {
      lA: num(row, 'l_a'),
      bA: num(row, 'b_a'),
      lB: num(row, 'l_b'),
      bB: num(row, 'b_b'),
    },
    openingPrices: perLeg((leg) => num(row, `opening_price_${leg}`)),
    entryTokenAmounts: perLeg((leg) => num(row, `entry_token_amount_${leg}`)),
    realisedFees: num(row, 'realised_fees'),
  };
}

export function toRateRow(row: CsvRow): RateRow {
  return {
    timestamp: time(row, 'timestamp')!,
    protocol: row['protocol']!,
    tokenContract: row['token_contract']!,
    lendBaseApr: num(row, 'lend_base_apr'),
    lendRewardApr: num(row, 'lend_reward_apr'),
    lendTotalApr: num(row, 'lend_total_apr'),
    borrowBaseApr: num(row, 'borrow_base_apr'),
    borrowRewardApr: num(row, 'borrow_reward_apr'),
    borrowTotalApr: num(row, 'borrow_total_apr'),
    priceUsd: num(row, 'price_usd'),
    borrowFee: num(row, 'borrow_fee'),
  };
}

/** Both engines over one set of tables; each position's calculator is built once and reused. */
export class EnginePair {
  private referenceRates: ReferenceRates | undefined;
  private readonly series = new Map<string, MarketSeries>();
  private readonly calculators = new Map<string, PositionCalculator>();

  constructor(
    private readonly positions: readonly CsvRow[],
    private readonly rebalances: readonly CsvRow[],
    private readonly rates: readonly CsvRow[],
    private readonly maxRateAgeSeconds = 24 * 3600,
  ) {
    const groups = new Map<string, RateRow[]>();
    for (const row of rates.map(toRateRow)) {
      const key = marketKey(row.protocol, row.tokenContract);
      const group = groups.get(key) ?? [];
      group.push(row);
      groups.set(key, group);
    }
    for (const [key, group] of groups) this.series.set(key, MarketSeries.fromRows(group));
  }

  /** Built on first use: a replay of lendstats alone does not need it. */
  get reference(): ReferenceRates {
    this.referenceRates ??= new ReferenceRates(this.rates);
    return this.referenceRates;
  }

  positionRow(id: string): CsvRow {
    const row = this.positions.find((p) => p['position_id'] === id);
    if (row === undefined) throw new Error(`no position ${id}`);
    return row;
  }

  rowsOf(id: string): CsvRow[] {
    return this.rebalances.filter((r) => r['position_id'] === id);
  }

  private calculator(id: string): PositionCalculator {
    let calc = this.calculators.get(id);
    if (calc === undefined) {
      calc = new PositionCalculator(
        toPosition(this.positionRow(id)),
        this.rowsOf(id).map(toRebalance),
        (key) => this.series.get(key),
        this.maxRateAgeSeconds,
      );
      this.calculators.set(id, calc);
    }
    return calc;
  }

  /** Every way the two engines differ at T, as readable lines (empty when they agree). */
  disagreements(id: string, at: number): string[] {
    const where = `${id.slice(0, 8)} @ ${formatUtc(at)}`;
    return describe(where, id, at, this.expected(id, at), this.actual(id, at));
  }

  private expected(id: string, at: number): Columns | RefError {
    try {
      const stat = referenceStatistic(this.positionRow(id), this.rowsOf(id), this.reference, at, {
        maxRateAgeSeconds: this.maxRateAgeSeconds,
      });
      return { ...stat, stale: stat.stale ? 1 : 0 };
    } catch (error) {
      if (error instanceof RefError) return error;
      throw error;
    }
  }

  /** lendstats's statistic at T (with `stale`), or its failure. */
  actual(id: string, at: number): Columns | StatisticError {
    try {
      const result = this.calculator(id).at(at);
      return { ...statisticColumns(result.statistic), stale: result.stale ? 1 : 0 };
    } catch (error) {
      if (error instanceof StatisticError) return error;
      throw error;
    }
  }
}

/** The metric columns plus `stale` (1 when current_apr is NULL for stale rates). */
export type Columns = Record<string, number | null>;

function describe(
  where: string,
  id: string,
  at: number,
  expected: Columns | RefError,
  actual: Columns | StatisticError,
): string[] {
  if (expected instanceof RefError || actual instanceof StatisticError) {
    if (!(expected instanceof RefError)) return [`${where}: lendstats failed: ${actual.message}`];
    if (!(actual instanceof StatisticError)) {
      return [`${where}: lendstats computed, reference failed: ${expected.message}`];
    }
    if (expected.kind !== actual.code) {
      return [`${where}: failure ${actual.code} (${actual.message}), expected ${expected.kind}`];
    }
    const sameMessage =
      expected.kind === 'NO_RATE_DATA'
        ? actual.message.includes(expected.message)
        : expected.kind === 'OUT_OF_RANGE'
          ? actual.message.includes(id) && actual.message.includes(formatUtc(at))
          : actual.message.includes(id);
    return sameMessage ? [] : [`${where}: message '${actual.message}' vs '${expected.message}'`];
  }
  const lines: string[] = [];
  for (const column of [...METRIC_COLUMNS, 'stale']) {
    const a = actual[column] ?? null;
    const b = expected[column] ?? null;
    const agree =
      a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    if (!agree) lines.push(`${where}: ${column} lendstats ${a} reference ${b}`);
  }
  return lines;
}

/** lendstats alone on already mapped rate rows (the replay builds many such inputs). */
export function lendstatsAt(
  position: CsvRow,
  rebalances: readonly CsvRow[],
  rates: readonly RateRow[],
  at: number,
): Columns | StatisticError {
  const groups = new Map<string, RateRow[]>();
  for (const row of rates) {
    const key = marketKey(row.protocol, row.tokenContract);
    const group = groups.get(key) ?? [];
    group.push(row);
    groups.set(key, group);
  }
  const series = new Map([...groups].map(([key, rows]) => [key, MarketSeries.fromRows(rows)]));
  const calculator = new PositionCalculator(
    toPosition(position),
    rebalances.map(toRebalance),
    (key) => series.get(key),
  );
  try {
    const result = calculator.at(at);
    return { ...statisticColumns(result.statistic), stale: result.stale ? 1 : 0 };
  } catch (error) {
    if (error instanceof StatisticError) return error;
    throw error;
  }
}
