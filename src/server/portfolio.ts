/**
 * Portfolio totals at T. The realized APR is weighted by capital and time, the current APR by
 * capital (it is a rate in force at one moment); docs/API.md states both.
 */
import { YEAR } from '../domain/time.js';
import type { Figure } from './statistic-at.js';

export interface PortfolioInput {
  group: 'active' | 'closed';
  entry: number;
  figure: Figure;
}

export interface PortfolioTotals {
  activePositions: number;
  closedPositions: number;
  /** Deployment at T of the active positions. */
  deployedUsd: number;
  /** Current value of the active positions. */
  currentValueUsd: number;
  /** Over active and closed positions (closed ones with their final figures). */
  totalPnl: number;
  realizedPnl: number;
  livePnl: number;
  baseEarnings: number;
  rewardEarnings: number;
  totalEarnings: number;
  totalFees: number;
  /** sum(total_pnl) / sum(deployment * years held), over positions held for a while. */
  realizedApr: number | null;
  /** sum(deployment * current_apr) / sum(deployment), over active positions with a current APR. */
  currentApr: number | null;
  /** Share of the deployed capital whose current APR is known. */
  currentAprCoverage: number | null;
}

export function portfolioTotals(rows: readonly PortfolioInput[]): PortfolioTotals {
  const totals: PortfolioTotals = {
    activePositions: 0,
    closedPositions: 0,
    deployedUsd: 0,
    currentValueUsd: 0,
    totalPnl: 0,
    realizedPnl: 0,
    livePnl: 0,
    baseEarnings: 0,
    rewardEarnings: 0,
    totalEarnings: 0,
    totalFees: 0,
    realizedApr: null,
    currentApr: null,
    currentAprCoverage: null,
  };
  let pnlHeld = 0;
  let capitalYears = 0;
  let aprCapital = 0;
  let weightedApr = 0;

  for (const { group, entry, figure } of rows) {
    const v = figure.values;
    const deployment = figure.deploymentUsd;
    totals.totalPnl += v.total_pnl!;
    totals.realizedPnl += v.realized_pnl!;
    totals.livePnl += v.live_pnl!;
    totals.baseEarnings += v.base_earnings!;
    totals.rewardEarnings += v.reward_earnings!;
    totals.totalEarnings += v.total_earnings!;
    totals.totalFees += v.total_fees!;

    const years = (figure.asOf - entry) / YEAR;
    if (years > 0) {
      pnlHeld += v.total_pnl!;
      capitalYears += deployment * years;
    }
    if (group === 'closed') {
      totals.closedPositions++;
      continue;
    }
    totals.activePositions++;
    totals.deployedUsd += deployment;
    totals.currentValueUsd += v.current_value!;
    if (v.current_apr !== null) {
      aprCapital += deployment;
      weightedApr += deployment * v.current_apr;
    }
  }

  totals.realizedApr = capitalYears > 0 ? pnlHeld / capitalYears : null;
  totals.currentApr = aprCapital > 0 ? weightedApr / aprCapital : null;
  totals.currentAprCoverage = totals.deployedUsd > 0 ? aprCapital / totals.deployedUsd : null;
  return totals;
}
