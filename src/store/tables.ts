/**
 * The six tables of SCHEMA.md as data: every column with its kind, the key, and what a new row
 * needs. Migrations derive the DDL from it and the import derives its validation from it.
 */
import type {
  PositionRebalancesTable,
  PositionStatisticsTable,
  PositionsTable,
  RatesSnapshotTable,
  RewardTokenPricesTable,
  TokenRegistryTable,
} from './schema.js';

/** `time` is a UTC timestamp, `flag` a 0/1 integer, `status` a position status. */
export type ColumnKind = 'time' | 'real' | 'integer' | 'text' | 'flag' | 'status';

export type TableName =
  | 'rates_snapshot'
  | 'token_registry'
  | 'reward_token_prices'
  | 'positions'
  | 'position_rebalances'
  | 'position_statistics';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** SQL default of a column left out of an insert. */
  defaultText?: string;
  /** Present in some databases only: never created by migrations, accepted by the import. */
  optional?: boolean;
}

/** What migrations need to create a table. */
export interface TableDefinition {
  name: string;
  columns: readonly ColumnSpec[];
  key: readonly string[];
  /** Further unique column sets (besides the key). */
  unique: readonly (readonly string[])[];
}

/** A table of SCHEMA.md, which the import also loads. */
export interface TableSpec extends TableDefinition {
  name: TableName;
  /** Columns a row needs when it is new to the database. */
  requiredForNew: readonly string[];
}

type Kinds<T> = { [K in keyof T]-?: ColumnKind };

const LEG_SUFFIXES = ['1a', '2a', '2b', '3b'] as const;

type Leg = (typeof LEG_SUFFIXES)[number];

function perLeg<P extends string>(prefix: P, kind: ColumnKind): Record<`${P}_${Leg}`, ColumnKind> {
  const entries = LEG_SUFFIXES.map((leg) => [`${prefix}_${leg}`, kind] as const);
  return Object.fromEntries(entries) as Record<`${P}_${Leg}`, ColumnKind>;
}

const ratesSnapshot = {
  timestamp: 'time',
  protocol: 'text',
  token: 'text',
  token_contract: 'text',
  lend_base_apr: 'real',
  lend_reward_apr: 'real',
  lend_total_apr: 'real',
  borrow_base_apr: 'real',
  borrow_reward_apr: 'real',
  borrow_total_apr: 'real',
  collateral_ratio: 'real',
  liquidation_threshold: 'real',
  price_usd: 'real',
  utilization: 'real',
  total_supply_usd: 'real',
  total_borrow_usd: 'real',
  available_borrow_usd: 'real',
  borrow_fee: 'real',
  borrow_weight: 'real',
  reward_token: 'text',
  reward_token_contract: 'text',
  reward_token_price_usd: 'real',
  market: 'text',
  side: 'text',
} satisfies Kinds<RatesSnapshotTable>;

const tokenRegistry = {
  token_contract: 'text',
  symbol: 'text',
  decimals: 'integer',
  default_price: 'real',
  pyth_id: 'text',
  coingecko_id: 'text',
  seen_on_navi: 'flag',
  seen_on_alphafi: 'flag',
  seen_on_suilend: 'flag',
  seen_as_reserve: 'flag',
  seen_as_reward_lend: 'flag',
  seen_as_reward_borrow: 'flag',
  first_seen: 'time',
  last_seen: 'time',
} satisfies Kinds<TokenRegistryTable>;

const rewardTokenPrices = {
  timestamp: 'time',
  reward_token: 'text',
  reward_token_contract: 'text',
  reward_token_price_usd: 'real',
} satisfies Kinds<RewardTokenPricesTable>;

const positions = {
  position_id: 'text',
  status: 'status',
  strategy_type: 'text',
  is_paper_trade: 'flag',
  user_id: 'text',
  token1: 'text',
  token2: 'text',
  token3: 'text',
  token1_contract: 'text',
  token2_contract: 'text',
  token3_contract: 'text',
  protocol_a: 'text',
  protocol_b: 'text',
  entry_timestamp: 'time',
  deployment_usd: 'real',
  l_a: 'real',
  b_a: 'real',
  l_b: 'real',
  b_b: 'real',
  entry_lend_rate_1a: 'real',
  entry_borrow_rate_2a: 'real',
  entry_lend_rate_2b: 'real',
  entry_borrow_rate_3b: 'real',
  entry_price_1a: 'real',
  entry_price_2a: 'real',
  entry_price_2b: 'real',
  entry_price_3b: 'real',
  entry_collateral_ratio_1a: 'real',
  entry_collateral_ratio_2b: 'real',
  entry_liquidation_threshold_1a: 'real',
  entry_liquidation_threshold_2b: 'real',
  entry_net_apr: 'real',
  entry_apr5: 'real',
  entry_apr30: 'real',
  entry_apr90: 'real',
  entry_days_to_breakeven: 'real',
  entry_liquidation_distance: 'real',
  entry_max_size_usd: 'real',
  entry_borrow_fee_2a: 'real',
  entry_borrow_fee_3b: 'real',
  entry_borrow_weight_2a: 'real',
  entry_borrow_weight_3b: 'real',
  expected_slippage_bps: 'real',
  actual_slippage_bps: 'real',
  accumulated_realised_pnl: 'real',
  rebalance_count: 'integer',
  last_rebalance_timestamp: 'time',
  close_timestamp: 'time',
  close_reason: 'text',
  close_notes: 'text',
  notes: 'text',
  wallet_address: 'text',
  transaction_hash_open: 'text',
  transaction_hash_close: 'text',
  on_chain_position_id: 'text',
  created_at: 'time',
  updated_at: 'time',
} satisfies Kinds<PositionsTable>;

const positionRebalances = {
  rebalance_id: 'text',
  position_id: 'text',
  sequence_number: 'integer',
  opening_timestamp: 'time',
  closing_timestamp: 'time',
  deployment_usd: 'real',
  l_a: 'real',
  b_a: 'real',
  l_b: 'real',
  b_b: 'real',
  opening_lend_rate_1a: 'real',
  opening_borrow_rate_2a: 'real',
  opening_lend_rate_2b: 'real',
  opening_borrow_rate_3b: 'real',
  ...perLeg('opening_price', 'real'),
  closing_lend_rate_1a: 'real',
  closing_borrow_rate_2a: 'real',
  closing_lend_rate_2b: 'real',
  closing_borrow_rate_3b: 'real',
  ...perLeg('closing_price', 'real'),
  collateral_ratio_1a: 'real',
  collateral_ratio_2b: 'real',
  liquidation_threshold_1a: 'real',
  liquidation_threshold_2b: 'real',
  ...perLeg('entry_action', 'text'),
  ...perLeg('exit_action', 'text'),
  ...perLeg('entry_token_amount', 'real'),
  ...perLeg('exit_token_amount', 'real'),
  ...perLeg('entry_size_usd', 'real'),
  ...perLeg('exit_size_usd', 'real'),
  realised_fees: 'real',
  realised_pnl: 'real',
  realised_lend_earnings: 'real',
  realised_borrow_costs: 'real',
  rebalance_reason: 'text',
  rebalance_notes: 'text',
  created_at: 'time',
} satisfies Kinds<PositionRebalancesTable>;

const positionStatistics = {
  position_id: 'text',
  timestamp: 'time',
  total_pnl: 'real',
  total_earnings: 'real',
  base_earnings: 'real',
  reward_earnings: 'real',
  total_fees: 'real',
  current_value: 'real',
  realized_apr: 'real',
  current_apr: 'real',
  live_pnl: 'real',
  realized_pnl: 'real',
  calculation_timestamp: 'time',
} satisfies Kinds<PositionStatisticsTable>;

export function columnsOf(kinds: Record<string, ColumnKind>): ColumnSpec[] {
  return Object.entries(kinds).map(([name, kind]) => ({ name, kind }));
}

/** Columns some databases carry on position_rebalances; kept when present, never created. */
const REBALANCE_EXTRAS: ColumnSpec[] = [
  ...Object.keys(perLeg('closing_liq_price', 'real')),
  ...Object.keys(perLeg('closing_liq_dist', 'real')),
].map((name) => ({ name, kind: 'real', optional: true }));

export const TABLES: Record<TableName, TableSpec> = {
  rates_snapshot: {
    name: 'rates_snapshot',
    columns: columnsOf(ratesSnapshot),
    key: ['timestamp', 'protocol', 'token_contract'],
    unique: [],
    requiredForNew: [],
  },
  token_registry: {
    name: 'token_registry',
    columns: columnsOf(tokenRegistry),
    key: ['token_contract'],
    unique: [],
    requiredForNew: [],
  },
  reward_token_prices: {
    name: 'reward_token_prices',
    columns: columnsOf(rewardTokenPrices),
    key: ['timestamp', 'reward_token_contract'],
    unique: [],
    requiredForNew: [],
  },
  positions: {
    name: 'positions',
    columns: columnsOf(positions).map((column) =>
      column.name === 'strategy_type' ? { ...column, defaultText: 'recursive_lending' } : column,
    ),
    key: ['position_id'],
    unique: [],
    requiredForNew: [
      'status',
      'token1_contract',
      'token2_contract',
      'token3_contract',
      'protocol_a',
      'protocol_b',
      'entry_timestamp',
      'deployment_usd',
      'l_a',
      'b_a',
      'l_b',
      'b_b',
    ],
  },
  position_rebalances: {
    name: 'position_rebalances',
    columns: [...columnsOf(positionRebalances), ...REBALANCE_EXTRAS],
    key: ['rebalance_id'],
    unique: [['position_id', 'sequence_number']],
    requiredForNew: ['position_id', 'sequence_number', 'opening_timestamp'],
  },
  position_statistics: {
    name: 'position_statistics',
    columns: columnsOf(positionStatistics),
    key: ['position_id', 'timestamp'],
    unique: [],
    requiredForNew: [],
  },
};

/** In the order a fresh database is created and a folder is imported. */
export const TABLE_NAMES: readonly TableName[] = [
  'token_registry',
  'rates_snapshot',
  'reward_token_prices',
  'positions',
  'position_rebalances',
  'position_statistics',
];

export function columnSpec(table: TableName, column: string): ColumnSpec | undefined {
  return TABLES[table].columns.find((spec) => spec.name === column);
}
