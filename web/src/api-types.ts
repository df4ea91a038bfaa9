/** The JSON the API returns (docs/API.md). Times are `YYYY-MM-DD HH:MM:SS` UTC strings. */

export interface Info {
  version: string;
  dialect: 'sqlite' | 'postgres';
  database: string;
  now: string;
  newest_snapshot: string | null;
  writes: 'off' | 'localhost' | 'localhost-or-token';
  max_rate_age_hours: number;
  running_backfill: RunState | null;
}

export interface Snapshots {
  time_zone: string;
  count: number;
  days: { day: string; times: string[] }[];
}

export interface Metrics {
  total_pnl: number | null;
  total_earnings: number | null;
  base_earnings: number | null;
  reward_earnings: number | null;
  total_fees: number | null;
  current_value: number | null;
  realized_apr: number | null;
  current_apr: number | null;
  live_pnl: number | null;
  realized_pnl: number | null;
}

export interface Figure extends Metrics {
  timestamp: string;
  age_seconds: number;
  computed: boolean;
  computed_reason: 'missing' | 'stale' | 'not_final' | 'incomplete' | null;
  passed_over: string | null;
  calculation_timestamp: string | null;
  stale_rates: boolean;
  deployment_usd: number;
}

export interface PositionRow {
  position_id: string;
  status: string;
  token1: string | null;
  token2: string | null;
  token3: string | null;
  protocol_a: string;
  protocol_b: string;
  entry_timestamp: string;
  close_timestamp: string | null;
  entry_apr: number | null;
  group: 'active' | 'closed';
  statistic: Figure | null;
  error: string | null;
}

export interface Totals {
  active_positions: number;
  closed_positions: number;
  deployed_usd: number;
  current_value_usd: number;
  total_pnl: number;
  realized_pnl: number;
  live_pnl: number;
  base_earnings: number;
  reward_earnings: number;
  total_earnings: number;
  total_fees: number;
  realized_apr: number | null;
  current_apr: number | null;
  current_apr_coverage: number | null;
}

export interface PositionsAt {
  at: string;
  now: string;
  totals: Totals;
  positions: PositionRow[];
  invalid: { position_id: string; reason: string }[];
}

export interface LegRates {
  snapshot: string;
  base_apr: number | null;
  reward_apr: number;
  apr: number | null;
  price_usd: number | null;
}

export interface Leg {
  leg: string;
  action: 'lend' | 'borrow';
  protocol: string;
  token: string | null;
  token_contract: string;
  weight: number | null;
  token_amount: number | null;
  at_entry: LegRates | null;
  at_t: LegRates | null;
}

export interface SegmentRow {
  start: string;
  end: string | null;
  open: boolean;
  deployment_usd: number;
  l_a: number;
  b_a: number;
  l_b: number;
  b_b: number;
  realised_fees: number | null;
  from_rebalance_row: boolean;
}

export interface HistoryPoint extends Metrics {
  timestamp: string;
  gap_before: boolean;
}

export interface PositionDetail extends PositionRow {
  at: string;
  moment: string;
  legs: Leg[];
  segments: SegmentRow[];
  segments_error: string | null;
  history: HistoryPoint[];
}

export interface BackfillRequest {
  positions: string[];
  start: string | null;
  end: string | null;
  now: string | null;
  sampling: 'adaptive' | 'snapshots';
  force: boolean;
  max_rate_age_hours: number;
  verify_sample: number;
}

export interface Preview {
  now: string;
  planned: number;
  positions: {
    position_id: string;
    status: string;
    planned: number;
    existing: number;
    first: string | null;
    last: string | null;
  }[];
  invalid: { position_id: string; timestamp: string | null; reason: string }[];
}

export interface RunSummary {
  id: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  now: string | null;
  sampling: string | null;
  planned: number | null;
  saved: number | null;
  failed: number | null;
  stale_rates: number | null;
  message: string | null;
  log_file: string | null;
  log_url: string | null;
}

export interface RunState extends RunSummary {
  phase: string | null;
  phase_detail: string | null;
  done: number;
  cancel_requested: boolean;
  failures: { position_id: string; timestamp: string | null; reason: string }[];
  verification: {
    passed: boolean;
    rows_missing: number;
    coverage: { checked: number; covered: number };
    recomputed: { sampled: number; equal: number; differing: number };
    orphans: number;
  } | null;
  seconds: number | null;
}

export interface Runs {
  current: RunState | null;
  runs: (RunSummary & Partial<RunState>)[];
}
