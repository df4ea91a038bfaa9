/**
 * Rebalance and close: both end the segment the positions row describes with a
 * `position_rebalances` row. A rebalance then opens the next segment on the positions row (new
 * opening state, weights, deployment); a close marks the position closed at that moment.
 */
import { randomUUID } from 'node:crypto';

import { LendstatsError } from '../domain/errors.js';
import { marketKey } from '../domain/market.js';
import { DEFAULT_MAX_RATE_AGE_SECONDS, PositionCalculator } from '../domain/statistic.js';
import { formatTime } from '../domain/time.js';
import { LEGS, type LegId, type Position, type RebalanceRow } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import {
  insertSegment,
  readPositionRow,
  updatePosition,
  type PositionChanges,
} from '../store/position-writes.js';
import { loadPositions, loadRebalances } from '../store/queries.js';
import { optionalNumber } from '../store/row-reader.js';
import { inTransaction } from '../store/transaction.js';
import { checkSizing, positionLegs, type LegStates } from './leg-state.js';
import {
  clockOf,
  findPosition,
  marketsAt,
  segmentOpening,
  sizingWeights,
  type LifecycleOptions,
  type LifecycleResult,
  type Sizing,
} from './positions.js';
import { segmentAmounts, segmentEarnings, segmentRow, type OpenSegment } from './segment-row.js';
import { rewriteStatistics } from './statistics-rewrite.js';

export interface RebalanceRequest {
  /** Full id or unique prefix. */
  position: string;
  at: number;
  /** New weights; default: unchanged. */
  sizing?: Sizing;
  /** New deployment; default: unchanged. */
  deploymentUsd?: number;
  reason?: string | null;
  notes?: string | null;
}

export interface CloseRequest {
  position: string;
  at: number;
  /** `closed` (default) or `liquidated`. */
  status?: 'closed' | 'liquidated';
  reason?: string | null;
  notes?: string | null;
  transactionHash?: string | null;
}

export async function rebalancePosition(
  store: Store,
  request: RebalanceRequest,
  options: LifecycleOptions = {},
): Promise<LifecycleResult> {
  const position = await findPosition(store, request.position);
  const markets = await marketsAt(store, position, request.at);
  const weights =
    request.sizing === undefined ? position.weights : sizingWeights(request.sizing, markets.states);
  const deploymentUsd = request.deploymentUsd ?? position.deploymentUsd;
  checkSizing(deploymentUsd, weights);
  const closing = markets.states;
  const next = segmentAmounts(deploymentUsd, weights, pricesOf(closing));

  return endSegment(store, position, request.at, markets, options, {
    kind: 'rebalance',
    nextAmounts: next,
    reason: request.reason ?? null,
    notes: request.notes ?? null,
    changes: {
      deployment_usd: deploymentUsd,
      l_a: weights.lA,
      b_a: weights.bA,
      l_b: weights.lB,
      b_b: weights.bB,
      ...segmentOpening(closing),
    },
  });
}

export async function closePosition(
  store: Store,
  request: CloseRequest,
  options: LifecycleOptions = {},
): Promise<LifecycleResult> {
  const position = await findPosition(store, request.position);
  const markets = await marketsAt(store, position, request.at);
  const reason = request.reason ?? 'manual_close';

  return endSegment(store, position, request.at, markets, options, {
    kind: 'close',
    nextAmounts: null,
    reason: `position_closed:${reason}`,
    notes: request.notes ?? null,
    changes: {
      status: request.status ?? 'closed',
      close_timestamp: formatTime(request.at),
      close_reason: reason,
      close_notes: request.notes ?? null,
      ...(request.transactionHash == null
        ? {}
        : { transaction_hash_close: request.transactionHash }),
    },
  });
}

interface SegmentEnd {
  kind: 'rebalance' | 'close';
  nextAmounts: Record<LegId, number> | null;
  reason: string | null;
  notes: string | null;
  /** Positions-row changes besides the bookkeeping every segment end makes. */
  changes: PositionChanges;
}

async function endSegment(
  store: Store,
  found: Position,
  at: number,
  markets: Awaited<ReturnType<typeof marketsAt>>,
  options: LifecycleOptions,
  end: SegmentEnd,
): Promise<LifecycleResult> {
  const id = found.positionId;
  const now = clockOf(options)();

  return inTransaction(store, async (db) => {
    // Read again inside the transaction (the row locked on PostgreSQL): another write may have
    // ended the segment meanwhile.
    const raw = await readPositionRow(db, store.dialect, id);
    const { positions } = await loadPositions({ ...store, db }, [id]);
    const position = positions[0];
    if (raw === null || position === undefined) {
      throw new LendstatsError('UNKNOWN_POSITION', `unknown position '${id}'`);
    }
    const rows = (await loadRebalances({ ...store, db }, [id])).get(id) ?? [];
    const opening = refuseTimeTravel(position, rows, at, end.kind);

    // The engine's own pnl of the open segment at `at`, before the row that closes it exists.
    const calculator = new PositionCalculator(
      position,
      rows,
      (key) => markets.series.get(key),
      options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
    );
    const realisedPnl = calculator.at(at).statistic.livePnl;
    const open = openSegment(position, raw, opening);
    const amounts = segmentAmounts(open.deploymentUsd, open.weights, open.openingPrices);
    const legs = positionLegs(position);
    const first = !rows.some((row) => row.closingTimestamp !== null);
    const sequenceNumber = Math.max(0, ...rows.map((row) => row.sequenceNumber)) + 1;

    const segment = segmentRow({
      rebalanceId: randomUUID(),
      positionId: id,
      sequenceNumber,
      open,
      closingTimestamp: at,
      closing: markets.states,
      nextAmounts: end.nextAmounts,
      // SPEC-statistics.md: the first row's realised_fees hold the entry fees.
      realisedFees: first ? entryFees(position, open) : 0,
      realisedPnl,
      earnings: segmentEarnings(
        legs,
        amounts,
        (leg) => markets.series.get(marketKey(leg.protocol, leg.coinType))!,
        opening,
        at,
      ),
      reason: end.reason,
      notes: end.notes,
      createdAt: now,
    });
    await insertSegment(db, segment);
    await updatePosition(db, id, {
      ...end.changes,
      accumulated_realised_pnl:
        (optionalNumber(raw, 'accumulated_realised_pnl') ?? 0) + realisedPnl,
      rebalance_count: (optionalNumber(raw, 'rebalance_count') ?? 0) + 1,
      last_rebalance_timestamp: formatTime(at),
      updated_at: formatTime(now),
    });

    const statistics = await rewriteStatistics(store, db, id, at, markets.series, options);
    const after = (await readPositionRow(db, store.dialect, id))!;
    return { positionId: id, position: after, segment, statistics };
  });
}

/**
 * Segments are history: a write dated at or before the open segment's opening (the latest
 * closing, or entry) would rewrite them. A close may coincide with the opening.
 * Returns that opening.
 */
function refuseTimeTravel(
  position: Position,
  rows: readonly RebalanceRow[],
  at: number,
  kind: SegmentEnd['kind'],
): number {
  if (position.status !== 'active') {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      `position ${position.positionId} is ${position.status}; only an active position can be ${kind === 'close' ? 'closed' : 'rebalanced'}`,
    );
  }
  const closings = rows.flatMap((row) =>
    row.closingTimestamp === null ? [] : [row.closingTimestamp],
  );
  const opening = Math.max(position.entryTimestamp, ...closings);
  const refused = kind === 'close' ? at < opening : at <= opening;
  if (refused) {
    const what = opening === position.entryTimestamp ? 'its entry' : 'the latest segment closing';
    throw new LendstatsError(
      'BAD_ARGUMENT',
      `refused: a ${kind} of ${position.positionId} at ${formatTime(at)} would rewrite history; ` +
        `it must be ${kind === 'close' ? 'at or ' : ''}after ${what} at ${formatTime(opening)}`,
    );
  }
  return opening;
}

/** The segment described by the positions row, from `opening` on. */
function openSegment(
  position: Position,
  raw: Record<string, unknown>,
  opening: number,
): OpenSegment {
  const price = (leg: LegId): number => position.entryPrices[leg]!;
  return {
    openingTimestamp: opening,
    deploymentUsd: position.deploymentUsd,
    weights: position.weights,
    openingRates: {
      '1a': optionalNumber(raw, 'entry_lend_rate_1a'),
      '2a': optionalNumber(raw, 'entry_borrow_rate_2a'),
      '2b': optionalNumber(raw, 'entry_lend_rate_2b'),
      '3b': optionalNumber(raw, 'entry_borrow_rate_3b'),
    },
    openingPrices: Object.fromEntries(LEGS.map((leg) => [leg, price(leg)])) as Record<
      LegId,
      number
    >,
    collateralRatio1a: optionalNumber(raw, 'entry_collateral_ratio_1a'),
    collateralRatio2b: optionalNumber(raw, 'entry_collateral_ratio_2b'),
    liquidationThreshold1a: optionalNumber(raw, 'entry_liquidation_threshold_1a'),
    liquidationThreshold2b: optionalNumber(raw, 'entry_liquidation_threshold_2b'),
  };
}

/** The engine's entry fees of a segment (statistic.ts): deployment * (B_A f_2A + B_B f_3B). */
function entryFees(position: Position, open: OpenSegment): number {
  const fee2a = position.entryBorrowFee2a ?? 0;
  const fee3b = position.entryBorrowFee3b ?? 0;
  return open.deploymentUsd * (open.weights.bA * fee2a + open.weights.bB * fee3b);
}

function pricesOf(states: LegStates): Record<LegId, number> {
  return {
    '1a': states['1a'].price,
    '2a': states['2a'].price,
    '2b': states['2b'].price,
    '3b': states['3b'].price,
  };
}
