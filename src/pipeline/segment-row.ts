/**
 * The `position_rebalances` row that closes a segment: its opening state (as the positions row
 * holds it), its closing state (the snapshot in force), token amounts and sizes, and what it
 * realised. Pure: the caller supplies the states, the series and the engine's pnl.
 */
import type { MarketSeries } from '../domain/series.js';
import { formatTime, YEAR } from '../domain/time.js';
import { LEGS, type LegId, type Weights } from '../domain/types.js';
import type { SegmentValues } from '../store/position-writes.js';
import type { LegDefinition, LegStates } from './leg-state.js';

/** The segment the positions row describes, read from its current-segment columns. */
export interface OpenSegment {
  openingTimestamp: number;
  deploymentUsd: number;
  weights: Weights;
  /** entry_lend_rate_1a, entry_borrow_rate_2a, entry_lend_rate_2b, entry_borrow_rate_3b. */
  openingRates: Record<LegId, number | null>;
  openingPrices: Record<LegId, number>;
  collateralRatio1a: number | null;
  collateralRatio2b: number | null;
  liquidationThreshold1a: number | null;
  liquidationThreshold2b: number | null;
}

export interface SegmentClose {
  rebalanceId: string;
  positionId: string;
  sequenceNumber: number;
  open: OpenSegment;
  closingTimestamp: number;
  closing: LegStates;
  /** Token amounts of the next segment; null when the position closes. */
  nextAmounts: Record<LegId, number> | null;
  realisedFees: number;
  /** The engine's pnl of the segment: base + reward - fees. */
  realisedPnl: number;
  earnings: { lend: number; borrow: number };
  reason: string | null;
  notes: string | null;
  createdAt: number;
}

/** Token amounts as the engine derives them: weight * deployment / price; 2B holds 2A's amount. */
export function segmentAmounts(
  deploymentUsd: number,
  weights: Weights,
  prices: Record<LegId, number>,
): Record<LegId, number> {
  const amount2a = (weights.bA * deploymentUsd) / prices['2a'];
  return {
    '1a': (weights.lA * deploymentUsd) / prices['1a'],
    '2a': amount2a,
    '2b': amount2a,
    '3b': (weights.bB * deploymentUsd) / prices['3b'],
  };
}

/**
 * Lend earnings (base + reward of 1A and 2B) and borrow costs (base - reward of 2A and 3B) over
 * [start, end]: the two sides of the engine's base + reward.
 */
export function segmentEarnings(
  legs: readonly LegDefinition[],
  amounts: Record<LegId, number>,
  series: (leg: LegDefinition) => MarketSeries,
  start: number,
  end: number,
): { lend: number; borrow: number } {
  let lend = 0;
  let borrow = 0;
  for (const leg of legs) {
    const s = series(leg);
    const amount = amounts[leg.leg];
    if (leg.side === 'lend') {
      lend +=
        (amount * (s.integral('lendBase', start, end) + s.integral('lendReward', start, end))) /
        YEAR;
    } else {
      borrow +=
        (amount * (s.integral('borrowBase', start, end) - s.integral('borrowReward', start, end))) /
        YEAR;
    }
  }
  return { lend, borrow };
}

/** The rate columns of a segment row: `opening_lend_rate_1a`, `closing_borrow_rate_2a`, … */
const RATE_COLUMN: Record<LegId, string> = {
  '1a': 'lend_rate_1a',
  '2a': 'borrow_rate_2a',
  '2b': 'lend_rate_2b',
  '3b': 'borrow_rate_3b',
};

/** Lend legs withdraw and borrow legs repay at a close; a rebalance says how each leg moved. */
function exitAction(leg: LegId, amount: number, next: Record<LegId, number> | null): string {
  if (next === null) return leg === '1a' || leg === '2b' ? 'Withdraw' : 'Repay';
  if (next[leg] > amount) return 'Increase';
  if (next[leg] < amount) return 'Decrease';
  return 'No change';
}

export function segmentRow(close: SegmentClose): SegmentValues {
  const { open, closing } = close;
  const amounts = segmentAmounts(open.deploymentUsd, open.weights, open.openingPrices);
  const perLeg = <T>(value: (leg: LegId) => T, prefix: string): Record<string, T> =>
    Object.fromEntries(LEGS.map((leg) => [`${prefix}_${leg}`, value(leg)]));
  const rates = (prefix: string, value: (leg: LegId) => number | null) =>
    Object.fromEntries(LEGS.map((leg) => [`${prefix}_${RATE_COLUMN[leg]}`, value(leg)]));
  const entryAction = close.sequenceNumber === 1 ? 'Initial deployment' : 'Rebalance';

  return {
    rebalance_id: close.rebalanceId,
    position_id: close.positionId,
    sequence_number: close.sequenceNumber,
    opening_timestamp: formatTime(open.openingTimestamp),
    closing_timestamp: formatTime(close.closingTimestamp),
    deployment_usd: open.deploymentUsd,
    l_a: open.weights.lA,
    b_a: open.weights.bA,
    l_b: open.weights.lB,
    b_b: open.weights.bB,
    ...rates('opening', (leg) => open.openingRates[leg]),
    ...perLeg((leg) => open.openingPrices[leg], 'opening_price'),
    ...rates('closing', (leg) => closing[leg].rate),
    ...perLeg((leg) => closing[leg].price, 'closing_price'),
    collateral_ratio_1a: open.collateralRatio1a,
    collateral_ratio_2b: open.collateralRatio2b,
    liquidation_threshold_1a: open.liquidationThreshold1a,
    liquidation_threshold_2b: open.liquidationThreshold2b,
    ...perLeg(() => entryAction, 'entry_action'),
    ...perLeg((leg) => exitAction(leg, amounts[leg], close.nextAmounts), 'exit_action'),
    ...perLeg((leg) => amounts[leg], 'entry_token_amount'),
    ...perLeg((leg) => amounts[leg], 'exit_token_amount'),
    ...perLeg((leg) => amounts[leg] * open.openingPrices[leg], 'entry_size_usd'),
    ...perLeg((leg) => amounts[leg] * closing[leg].price, 'exit_size_usd'),
    realised_fees: close.realisedFees,
    realised_pnl: close.realisedPnl,
    realised_lend_earnings: close.earnings.lend,
    realised_borrow_costs: close.earnings.borrow,
    rebalance_reason: close.reason,
    rebalance_notes: close.notes,
    created_at: formatTime(close.createdAt),
  } as SegmentValues;
}
