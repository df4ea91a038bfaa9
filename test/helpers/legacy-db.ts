/**
 * Builds a database the way older systems did (SCHEMA.md's column lists): mixed-case names such
 * as `L_A` and `protocol_A`, bounded DECIMALs, TIMESTAMP columns, PRIMARY KEY (position_id,
 * timestamp) on position_statistics and, on PostgreSQL, row-level security on it. Some columns
 * lendstats knows are left out on purpose, and reward_token_prices does not exist.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const MONEY = 'DECIMAL(20,10)';
const APR = 'DECIMAL(10,6)';

/** rates_snapshot without borrow_weight and side. */
const RATES = `CREATE TABLE rates_snapshot (
  timestamp TIMESTAMP NOT NULL, protocol VARCHAR(50) NOT NULL, token VARCHAR(50),
  token_contract TEXT NOT NULL, lend_base_apr ${APR}, lend_reward_apr ${APR},
  lend_total_apr ${APR}, borrow_base_apr ${APR}, borrow_reward_apr ${APR},
  borrow_total_apr ${APR}, collateral_ratio ${APR}, liquidation_threshold ${APR},
  price_usd ${MONEY}, utilization ${APR}, total_supply_usd DECIMAL(20,6),
  total_borrow_usd DECIMAL(20,6), available_borrow_usd DECIMAL(20,6), borrow_fee ${APR},
  reward_token VARCHAR(50), reward_token_contract TEXT, reward_token_price_usd ${MONEY},
  market VARCHAR(50),
  PRIMARY KEY (timestamp, protocol, token_contract))`;

const TOKENS = `CREATE TABLE token_registry (
  token_contract TEXT PRIMARY KEY, symbol VARCHAR(50), decimals INTEGER,
  default_price ${MONEY}, pyth_id TEXT, coingecko_id TEXT, seen_on_navi INTEGER,
  seen_on_alphafi INTEGER, seen_on_suilend INTEGER, seen_as_reserve INTEGER,
  seen_as_reward_lend INTEGER, seen_as_reward_borrow INTEGER, first_seen TIMESTAMP,
  last_seen TIMESTAMP)`;

/** positions without entry_borrow_weight_2A / _3B. */
const POSITIONS = `CREATE TABLE positions (
  position_id TEXT PRIMARY KEY, status VARCHAR(20) NOT NULL,
  strategy_type VARCHAR(50) DEFAULT 'recursive_lending', is_paper_trade INTEGER, user_id TEXT,
  token1 VARCHAR(50), token2 VARCHAR(50), token3 VARCHAR(50), token1_contract TEXT,
  token2_contract TEXT, token3_contract TEXT, protocol_A VARCHAR(50), protocol_B VARCHAR(50),
  entry_timestamp TIMESTAMP, deployment_usd ${MONEY}, L_A ${MONEY}, B_A ${MONEY},
  L_B ${MONEY}, B_B ${MONEY}, entry_lend_rate_1A ${APR}, entry_borrow_rate_2A ${APR},
  entry_lend_rate_2B ${APR}, entry_borrow_rate_3B ${APR}, entry_price_1A ${MONEY},
  entry_price_2A ${MONEY}, entry_price_2B ${MONEY}, entry_price_3B ${MONEY},
  entry_collateral_ratio_1A ${APR}, entry_collateral_ratio_2B ${APR},
  entry_liquidation_threshold_1A ${APR}, entry_liquidation_threshold_2B ${APR},
  entry_net_apr ${APR}, entry_apr5 ${APR}, entry_apr30 ${APR}, entry_apr90 ${APR},
  entry_days_to_breakeven ${MONEY}, entry_liquidation_distance ${APR},
  entry_max_size_usd ${MONEY}, entry_borrow_fee_2A ${APR}, entry_borrow_fee_3B ${APR},
  expected_slippage_bps ${MONEY}, actual_slippage_bps ${MONEY},
  accumulated_realised_pnl ${MONEY}, rebalance_count INTEGER,
  last_rebalance_timestamp TIMESTAMP, close_timestamp TIMESTAMP, close_reason TEXT,
  close_notes TEXT, notes TEXT, wallet_address TEXT, transaction_hash_open TEXT,
  transaction_hash_close TEXT, on_chain_position_id TEXT, created_at TIMESTAMP,
  updated_at TIMESTAMP)`;

function perLeg(prefix: string, type: string): string {
  return ['1A', '2A', '2B', '3B'].map((leg) => `${prefix}_${leg} ${type}`).join(', ');
}

/** position_rebalances with the optional closing_liq_price_* columns. */
const REBALANCES = `CREATE TABLE position_rebalances (
  rebalance_id TEXT PRIMARY KEY, position_id TEXT NOT NULL, sequence_number INTEGER NOT NULL,
  opening_timestamp TIMESTAMP NOT NULL, closing_timestamp TIMESTAMP,
  deployment_usd ${MONEY}, L_A ${MONEY}, B_A ${MONEY}, L_B ${MONEY}, B_B ${MONEY},
  opening_lend_rate_1A ${APR}, opening_borrow_rate_2A ${APR}, opening_lend_rate_2B ${APR},
  opening_borrow_rate_3B ${APR}, ${perLeg('opening_price', MONEY)},
  closing_lend_rate_1A ${APR}, closing_borrow_rate_2A ${APR}, closing_lend_rate_2B ${APR},
  closing_borrow_rate_3B ${APR}, ${perLeg('closing_price', MONEY)},
  collateral_ratio_1A ${APR}, collateral_ratio_2B ${APR}, liquidation_threshold_1A ${APR},
  liquidation_threshold_2B ${APR}, ${perLeg('entry_action', 'TEXT')},
  ${perLeg('exit_action', 'TEXT')}, ${perLeg('entry_token_amount', MONEY)},
  ${perLeg('exit_token_amount', MONEY)}, ${perLeg('entry_size_usd', MONEY)},
  ${perLeg('exit_size_usd', MONEY)}, ${perLeg('closing_liq_price', MONEY)},
  realised_fees ${MONEY}, realised_pnl ${MONEY}, realised_lend_earnings ${MONEY},
  realised_borrow_costs ${MONEY}, rebalance_reason TEXT, rebalance_notes TEXT,
  created_at TIMESTAMP,
  UNIQUE (position_id, sequence_number))`;

const STATISTICS = `CREATE TABLE position_statistics (
  position_id TEXT NOT NULL, timestamp TIMESTAMP NOT NULL, total_pnl ${MONEY},
  total_earnings ${MONEY}, base_earnings ${MONEY}, reward_earnings ${MONEY},
  total_fees ${MONEY}, current_value ${MONEY}, realized_apr ${APR}, current_apr ${APR},
  live_pnl ${MONEY}, realized_pnl ${MONEY}, calculation_timestamp TIMESTAMP,
  PRIMARY KEY (position_id, timestamp))`;

export const LEGACY_TABLES = [RATES, TOKENS, POSITIONS, REBALANCES, STATISTICS];

/** Columns of SCHEMA.md the legacy layout lacks; migrate must add exactly these. */
export const LEGACY_MISSING_COLUMNS = [
  'rates_snapshot.borrow_weight',
  'rates_snapshot.side',
  'positions.entry_borrow_weight_2a',
  'positions.entry_borrow_weight_3b',
];

export const LEGACY_POSITION_ID = '7d0c1f4e-legacy-position';

/**
 * One position, one closed segment, two statistics and rate rows, spelled as other programs
 * write them. Timestamps on SQLite use the forms Python and ISO writers produce.
 */
function legacyRows(dialect: 'sqlite' | 'postgres'): string[] {
  const at = (iso: string, sqliteForm: string): string =>
    dialect === 'sqlite' ? `'${sqliteForm}'` : `'${iso}'`;
  return [
    `INSERT INTO positions (position_id, status, token1, token2, token3, token1_contract,
      token2_contract, token3_contract, protocol_A, protocol_B, entry_timestamp, deployment_usd,
      L_A, B_A, L_B, B_B, entry_price_1A, entry_price_2A, entry_price_2B, entry_price_3B,
      entry_borrow_fee_2A, entry_borrow_fee_3B, entry_net_apr, close_timestamp)
     VALUES ('${LEGACY_POSITION_ID}', 'closed', 'USDC', 'SUI', 'USDC', '0xa::usdc::USDC',
      '0x2::sui::SUI', '0xa::usdc::USDC', 'Navi', 'Suilend',
      ${at('2026-01-02 03:04:05', '2026-01-02T03:04:05.000000')}, 1000,
      1.5, 0.9, 0.9, 0.5, 1, 3.25, 3.25, 1, 0.003, 0.001, 0.125,
      ${at('2026-01-09 00:00:00', '2026-01-09 00:00:00+00:00')})`,
    `INSERT INTO position_rebalances (rebalance_id, position_id, sequence_number,
      opening_timestamp, closing_timestamp, deployment_usd, L_A, B_A, L_B, B_B,
      opening_price_1A, opening_price_2A, opening_price_2B, opening_price_3B,
      entry_token_amount_2B, realised_fees, closing_liq_price_1A)
     VALUES ('r-1', '${LEGACY_POSITION_ID}', 1,
      ${at('2026-01-02 03:04:05', '2026-01-02 03:04:05')},
      ${at('2026-01-05 00:00:00', '2026-01-05T00:00:00Z')}, 1000, 1.5, 0.9, 0.9, 0.5,
      1, 3.25, 3.25, 1, 276.923077, 3.4, 0.5)`,
    `INSERT INTO position_statistics (position_id, timestamp, total_pnl, total_earnings,
      base_earnings, reward_earnings, total_fees, current_value, realized_apr, current_apr,
      live_pnl, realized_pnl, calculation_timestamp)
     VALUES ('${LEGACY_POSITION_ID}', ${at('2026-01-03 00:00:00', '2026-01-03T00:00:00')},
      1.25, 4.65, 4, 0.65, 3.4, 1001.25, 0.021, 0.05, 1.25, 0,
      ${at('2026-01-03 00:01:00', '2026-01-03 00:01:00.250000')}),
      ('${LEGACY_POSITION_ID}', ${at('2026-01-02 12:00:00', '2026-01-02 12:00:00')},
      0.5, 3.9, 3.3, 0.6, 3.4, 1000.5, 0.0183, 0.05, 0.5, 0, NULL)`,
    `INSERT INTO rates_snapshot (timestamp, protocol, token, token_contract, lend_base_apr,
      lend_total_apr, price_usd)
     VALUES (${at('2026-01-02 00:00:00', '2026-01-02 00:00:00')}, 'Navi', 'USDC',
      '0xa::usdc::USDC', 0.05, 0.05, 1),
      (${at('2026-01-02 01:00:00', '2026-01-02T01:00:00Z')}, 'Navi', 'USDC',
      '0xa::usdc::USDC', 0.051, 0.051, 1)`,
  ];
}

export async function buildLegacyDatabase(target: string): Promise<void> {
  if (!target.startsWith('postgres')) {
    const sqlite = new BetterSqlite3(target);
    for (const statement of [...LEGACY_TABLES, ...legacyRows('sqlite')]) sqlite.exec(statement);
    sqlite.close();
    return;
  }

  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    for (const statement of [...LEGACY_TABLES, ...legacyRows('postgres')]) {
      await client.query(statement);
    }
    await client.query('ALTER TABLE position_statistics ENABLE ROW LEVEL SECURITY');
  } finally {
    await client.end();
  }
}
