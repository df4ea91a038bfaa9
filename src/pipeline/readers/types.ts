/**
 * The row every rate source produces: one `rates_snapshot` row (SHARED SCHEMA.md) with the
 * column names of the table and `timestamp` as UTC seconds. The store formats the timestamp
 * as `YYYY-MM-DD HH:MM:SS` when it writes; nothing else differs from `RatesSnapshotTable`.
 *
 * Units: rates, fees and ratios are decimals (0.0316 = 3.16 %), prices and sizes USD.
 * `lend_total_apr = lend_base_apr + lend_reward_apr`, `borrow_total_apr = borrow_base_apr -
 * borrow_reward_apr` (the reward is stored positive). A NULL means "not reported by the source";
 * SPEC-statistics.md then keeps the last known value, so a reader never writes 0 for unknown.
 */
import type { RatesSnapshotTable } from '../../store/schema.js';

export type RatesRow = Omit<RatesSnapshotTable, 'timestamp'> & { timestamp: number };

export type RatesColumn = keyof RatesRow;

/** Every column, in the order of SCHEMA.md. */
export const RATES_COLUMNS = [
  'timestamp',
  'protocol',
  'token',
  'token_contract',
  'lend_base_apr',
  'lend_reward_apr',
  'lend_total_apr',
  'borrow_base_apr',
  'borrow_reward_apr',
  'borrow_total_apr',
  'collateral_ratio',
  'liquidation_threshold',
  'price_usd',
  'utilization',
  'total_supply_usd',
  'total_borrow_usd',
  'available_borrow_usd',
  'borrow_fee',
  'borrow_weight',
  'reward_token',
  'reward_token_contract',
  'reward_token_price_usd',
  'market',
  'side',
] as const satisfies readonly RatesColumn[];

/** The key of `rates_snapshot`. */
export const RATES_KEY_COLUMNS = ['timestamp', 'protocol', 'token_contract'] as const;

/** Columns holding text; every other non-key column holds a number. */
export const RATES_TEXT_COLUMNS = [
  'token',
  'reward_token',
  'reward_token_contract',
  'market',
  'side',
] as const satisfies readonly RatesColumn[];

/** Protocol names as stored, the original bot's spelling (sui-2026q2 README). */
export const PROTOCOLS = {
  navi: 'Navi',
  suilend: 'Suilend',
  scallop: 'Scallop',
  alphafi: 'AlphaFi',
} as const;

export type ProtocolId = keyof typeof PROTOCOLS;

export type StoredProtocol = (typeof PROTOCOLS)[ProtocolId];

/** A row with every column NULL except the key; readers fill in what their source reports. */
export function emptyRatesRow(
  timestamp: number,
  protocol: string,
  tokenContract: string,
): RatesRow {
  return {
    timestamp,
    protocol,
    token: null,
    token_contract: tokenContract,
    lend_base_apr: null,
    lend_reward_apr: null,
    lend_total_apr: null,
    borrow_base_apr: null,
    borrow_reward_apr: null,
    borrow_total_apr: null,
    collateral_ratio: null,
    liquidation_threshold: null,
    price_usd: null,
    utilization: null,
    total_supply_usd: null,
    total_borrow_usd: null,
    available_borrow_usd: null,
    borrow_fee: null,
    borrow_weight: null,
    reward_token: null,
    reward_token_contract: null,
    reward_token_price_usd: null,
    market: null,
    side: null,
  };
}

/** `lend_total = base + reward`; NULL when either part is unknown. */
export function lendTotal(base: number | null, reward: number | null): number | null {
  return base === null || reward === null ? null : base + reward;
}

/** `borrow_total = base - reward` (net cost); NULL when either part is unknown. */
export function borrowTotal(base: number | null, reward: number | null): number | null {
  return base === null || reward === null ? null : base - reward;
}
