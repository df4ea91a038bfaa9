/** Domain records, decoupled from the database layout. Times are UTC seconds. */

export type PositionStatus = 'active' | 'closed' | 'liquidated';

export type LegId = '1a' | '2a' | '2b' | '3b';

export const LEGS: readonly LegId[] = ['1a', '2a', '2b', '3b'];

export interface Weights {
  lA: number;
  bA: number;
  lB: number;
  bB: number;
}

export interface Position {
  positionId: string;
  status: PositionStatus;
  token1: string | null;
  token2: string | null;
  token3: string | null;
  token1Contract: string;
  token2Contract: string;
  token3Contract: string;
  protocolA: string;
  protocolB: string;
  entryTimestamp: number;
  deploymentUsd: number;
  weights: Weights;
  /** Opening prices of the segment the positions row describes, per leg. */
  entryPrices: Record<LegId, number | null>;
  entryBorrowFee2a: number | null;
  entryBorrowFee3b: number | null;
  entryNetApr: number | null;
  closeTimestamp: number | null;
}

/** One `position_rebalances` row: a closed segment when `closingTimestamp` is set. */
export interface RebalanceRow {
  rebalanceId: string;
  positionId: string;
  sequenceNumber: number;
  openingTimestamp: number;
  closingTimestamp: number | null;
  deploymentUsd: number | null;
  weights: { lA: number | null; bA: number | null; lB: number | null; bB: number | null };
  openingPrices: Record<LegId, number | null>;
  entryTokenAmounts: Record<LegId, number | null>;
  realisedFees: number | null;
}

/** The rate columns of one `rates_snapshot` row that the engine reads. */
export interface RateRow {
  timestamp: number;
  protocol: string;
  tokenContract: string;
  lendBaseApr: number | null;
  lendRewardApr: number | null;
  lendTotalApr: number | null;
  borrowBaseApr: number | null;
  borrowRewardApr: number | null;
  borrowTotalApr: number | null;
  priceUsd: number | null;
  borrowFee: number | null;
}

/** The metric columns of `position_statistics`, plus its key. */
export interface Statistic {
  positionId: string;
  timestamp: number;
  totalPnl: number;
  totalEarnings: number;
  baseEarnings: number;
  rewardEarnings: number;
  totalFees: number;
  currentValue: number;
  realizedApr: number | null;
  currentApr: number | null;
  livePnl: number;
  realizedPnl: number;
}

export const METRIC_COLUMNS = [
  'total_pnl',
  'total_earnings',
  'base_earnings',
  'reward_earnings',
  'total_fees',
  'current_value',
  'realized_apr',
  'current_apr',
  'live_pnl',
  'realized_pnl',
] as const;

export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** Maps a statistic to its `position_statistics` column names (without calculation_timestamp). */
export function statisticColumns(stat: Statistic): Record<MetricColumn, number | null> {
  return {
    total_pnl: stat.totalPnl,
    total_earnings: stat.totalEarnings,
    base_earnings: stat.baseEarnings,
    reward_earnings: stat.rewardEarnings,
    total_fees: stat.totalFees,
    current_value: stat.currentValue,
    realized_apr: stat.realizedApr,
    current_apr: stat.currentApr,
    live_pnl: stat.livePnl,
    realized_pnl: stat.realizedPnl,
  };
}
