/** Kysely table types for the layout of SCHEMA.md. Column names are lower case; see normalize.ts. */
import type { Generated } from 'kysely';

type Num = number | null;
type Text = string | null;
/** Timestamps travel as text `YYYY-MM-DD HH:MM:SS` (UTC) in both dialects. */
type Time = string | null;

export interface RatesSnapshotTable {
  timestamp: string;
  protocol: string;
  token: Text;
  token_contract: string;
  lend_base_apr: Num;
  lend_reward_apr: Num;
  lend_total_apr: Num;
  borrow_base_apr: Num;
  borrow_reward_apr: Num;
  borrow_total_apr: Num;
  collateral_ratio: Num;
  liquidation_threshold: Num;
  price_usd: Num;
  utilization: Num;
  total_supply_usd: Num;
  total_borrow_usd: Num;
  available_borrow_usd: Num;
  borrow_fee: Num;
  borrow_weight: Num;
  reward_token: Text;
  reward_token_contract: Text;
  reward_token_price_usd: Num;
  market: Text;
  side: Text;
}

export interface TokenRegistryTable {
  token_contract: string;
  symbol: Text;
  decimals: Num;
  default_price: Num;
  pyth_id: Text;
  coingecko_id: Text;
  seen_on_navi: Num;
  seen_on_alphafi: Num;
  seen_on_suilend: Num;
  seen_as_reserve: Num;
  seen_as_reward_lend: Num;
  seen_as_reward_borrow: Num;
  first_seen: Time;
  last_seen: Time;
}

export interface RewardTokenPricesTable {
  timestamp: string;
  reward_token: Text;
  reward_token_contract: string;
  reward_token_price_usd: Num;
}

export interface PositionsTable {
  position_id: string;
  status: string;
  strategy_type: Text;
  is_paper_trade: Num;
  user_id: Text;
  token1: Text;
  token2: Text;
  token3: Text;
  token1_contract: Text;
  token2_contract: Text;
  token3_contract: Text;
  protocol_a: Text;
  protocol_b: Text;
  entry_timestamp: Time;
  deployment_usd: Num;
  l_a: Num;
  b_a: Num;
  l_b: Num;
  b_b: Num;
  entry_lend_rate_1a: Num;
  entry_borrow_rate_2a: Num;
  entry_lend_rate_2b: Num;
  entry_borrow_rate_3b: Num;
  entry_price_1a: Num;
  entry_price_2a: Num;
  entry_price_2b: Num;
  entry_price_3b: Num;
  entry_collateral_ratio_1a: Num;
  entry_collateral_ratio_2b: Num;
  entry_liquidation_threshold_1a: Num;
  entry_liquidation_threshold_2b: Num;
  entry_net_apr: Num;
  entry_apr5: Num;
  entry_apr30: Num;
  entry_apr90: Num;
  entry_days_to_breakeven: Num;
  entry_liquidation_distance: Num;
  entry_max_size_usd: Num;
  entry_borrow_fee_2a: Num;
  entry_borrow_fee_3b: Num;
  entry_borrow_weight_2a: Num;
  entry_borrow_weight_3b: Num;
  expected_slippage_bps: Num;
  actual_slippage_bps: Num;
  accumulated_realised_pnl: Num;
  rebalance_count: Num;
  last_rebalance_timestamp: Time;
  close_timestamp: Time;
  close_reason: Text;
  close_notes: Text;
  notes: Text;
  wallet_address: Text;
  transaction_hash_open: Text;
  transaction_hash_close: Text;
  on_chain_position_id: Text;
  created_at: Time;
  updated_at: Time;
}

type PerLeg<P extends string, T> = {
  [K in `${P}_${'1a' | '2a' | '2b' | '3b'}`]: T;
};

export type PositionRebalancesTable = {
  rebalance_id: string;
  position_id: string;
  sequence_number: number;
  opening_timestamp: Time;
  closing_timestamp: Time;
  deployment_usd: Num;
  l_a: Num;
  b_a: Num;
  l_b: Num;
  b_b: Num;
  opening_lend_rate_1a: Num;
  opening_borrow_rate_2a: Num;
  opening_lend_rate_2b: Num;
  opening_borrow_rate_3b: Num;
  closing_lend_rate_1a: Num;
  closing_borrow_rate_2a: Num;
  closing_lend_rate_2b: Num;
  closing_borrow_rate_3b: Num;
  collateral_ratio_1a: Num;
  collateral_ratio_2b: Num;
  liquidation_threshold_1a: Num;
  liquidation_threshold_2b: Num;
  realised_fees: Num;
  realised_pnl: Num;
  realised_lend_earnings: Num;
  realised_borrow_costs: Num;
  rebalance_reason: Text;
  rebalance_notes: Text;
  created_at: Time;
} & PerLeg<'opening_price', Num> &
  PerLeg<'closing_price', Num> &
  PerLeg<'entry_action', Text> &
  PerLeg<'exit_action', Text> &
  PerLeg<'entry_token_amount', Num> &
  PerLeg<'exit_token_amount', Num> &
  PerLeg<'entry_size_usd', Num> &
  PerLeg<'exit_size_usd', Num>;

export interface PositionStatisticsTable {
  position_id: string;
  timestamp: string;
  total_pnl: Num;
  total_earnings: Num;
  base_earnings: Num;
  reward_earnings: Num;
  total_fees: Num;
  current_value: Num;
  realized_apr: Num;
  current_apr: Num;
  live_pnl: Num;
  realized_pnl: Num;
  calculation_timestamp: Time;
}

/** lendstats's own bookkeeping: the schema version, runs, their failures, the writer lock. */
export interface LendstatsMetaTable {
  key: string;
  value: string;
}

export interface LendstatsRunsTable {
  id: string;
  started_at: string;
  ended_at: Time;
  status: string;
  /** The run's arguments as JSON text. */
  args: Text;
  now_ts: Time;
  sampling: Text;
  planned: Num;
  saved: Num;
  failed: Num;
  stale_rates: Num;
  log_file: Text;
  version: Text;
  pid: Num;
  host: Text;
  message: Text;
  /** `backfill` or `rollback`. */
  kind: Text;
  /** Rows deleted by a rollback. */
  deleted: Num;
  /** The run whose failures a `--retry-failed` run planned. */
  retry_of: Text;
}

export interface LendstatsRunFailuresTable {
  run_id: string;
  position_id: string;
  timestamp: Time;
  reason: string;
}

export interface LendstatsLockTable {
  name: string;
  run_id: string;
  pid: number;
  host: string;
  acquired_at: string;
}

export interface Database {
  rates_snapshot: RatesSnapshotTable;
  token_registry: TokenRegistryTable;
  reward_token_prices: RewardTokenPricesTable;
  positions: PositionsTable;
  position_rebalances: PositionRebalancesTable;
  position_statistics: PositionStatisticsTable;
  lendstats_meta: LendstatsMetaTable;
  lendstats_runs: LendstatsRunsTable;
  lendstats_run_failures: LendstatsRunFailuresTable;
  lendstats_lock: LendstatsLockTable;
}

/** Keeps `Generated` importable for lendstats's own bookkeeping tables declared elsewhere. */
export type { Generated };
