/** The API's JSON shapes: snake_case keys, times as `YYYY-MM-DD HH:MM:SS` UTC, numbers unrounded. */
import { closeOf } from '../domain/plan.js';
import { formatTime } from '../domain/time.js';
import type { Position } from '../domain/types.js';
import type { PortfolioTotals } from './portfolio.js';
import type { PositionAt } from './positions-at.js';
import type { Figure } from './statistic-at.js';

export const time = (t: number | null): string | null => (t === null ? null : formatTime(t));

export function positionJson(position: Position, at: number) {
  const close = closeOf(position);
  return {
    position_id: position.positionId,
    token1: position.token1,
    token2: position.token2,
    token3: position.token3,
    protocol_a: position.protocolA,
    protocol_b: position.protocolB,
    entry_timestamp: formatTime(position.entryTimestamp),
    entry_apr: position.entryNetApr,
    /** The status at T: a position closed after T was still active then. */
    status: close !== null && close <= at ? position.status : 'active',
    close_timestamp: close !== null && close <= at ? formatTime(close) : null,
  };
}

export function figureJson(figure: Figure, at: number) {
  return {
    timestamp: formatTime(figure.asOf),
    age_seconds: at - figure.asOf,
    computed: figure.computed,
    computed_reason: figure.reason,
    passed_over: time(figure.passedOver),
    calculation_timestamp: time(figure.calculationTimestamp),
    stale_rates: figure.staleRates,
    deployment_usd: figure.deploymentUsd,
    ...figure.values,
  };
}

export function positionAtJson(row: PositionAt, at: number) {
  return {
    ...positionJson(row.position, at),
    group: row.group,
    statistic: row.figure === null ? null : figureJson(row.figure, at),
    error: row.error,
  };
}

export function totalsJson(totals: PortfolioTotals) {
  return {
    active_positions: totals.activePositions,
    closed_positions: totals.closedPositions,
    deployed_usd: totals.deployedUsd,
    current_value_usd: totals.currentValueUsd,
    total_pnl: totals.totalPnl,
    realized_pnl: totals.realizedPnl,
    live_pnl: totals.livePnl,
    base_earnings: totals.baseEarnings,
    reward_earnings: totals.rewardEarnings,
    total_earnings: totals.totalEarnings,
    total_fees: totals.totalFees,
    realized_apr: totals.realizedApr,
    current_apr: totals.currentApr,
    current_apr_coverage: totals.currentAprCoverage,
  };
}
