/**
 * A position's segments: the closed ones from `position_rebalances` rows, checked for
 * contiguity, and the segment the `positions` row describes.
 */
import { StatisticError } from './errors.js';
import { formatTime } from './time.js';
import type { LegId, Position, RebalanceRow, Weights } from './types.js';

export interface Segment {
  start: number;
  /** Closing time; null for the segment described by the positions row (it has no row). */
  end: number | null;
  deploymentUsd: number;
  weights: Weights;
  /** Token amount held by each leg during the segment. */
  amounts: Record<LegId, number>;
  /** `realised_fees` of a closed row (NULL is 0); null for the positions-row segment. */
  realisedFees: number | null;
  /** True when the segment comes from a rebalance row. */
  fromRow: boolean;
}

export interface PositionSegments {
  /** Closed segments (rows with a closing time), ascending and contiguous from entry. */
  closed: Segment[];
  /** Start of the segment after the last closed one (the last closing, or entry). */
  tailStart: number;
  /** That segment, from the positions row; an error when the row cannot describe it. */
  tail: Segment | StatisticError;
  /** Close time of a closed position, or null. */
  close: number | null;
}

/** Builds and checks the segments; a data problem fails every statistic of the position. */
export function buildSegments(position: Position, rows: readonly RebalanceRow[]): PositionSegments {
  const invalid = (reason: string): StatisticError =>
    new StatisticError(
      'INVALID_POSITION_DATA',
      position.positionId,
      position.entryTimestamp,
      `invalid position data for ${position.positionId}: ${reason}`,
    );

  const close = closeTime(position, invalid);
  const closedRows = rows
    .filter((row) => row.closingTimestamp !== null)
    .sort((a, b) => a.openingTimestamp - b.openingTimestamp || a.sequenceNumber - b.sequenceNumber);

  const closed: Segment[] = [];
  let expectedOpening = position.entryTimestamp;
  for (const row of closedRows) {
    const label = `rebalance ${row.sequenceNumber} (${row.rebalanceId})`;
    if (row.openingTimestamp !== expectedOpening) {
      throw invalid(
        `${label} opens at ${formatTime(row.openingTimestamp)}, expected ${formatTime(expectedOpening)}` +
          ' (segments must be contiguous from entry)',
      );
    }
    const closing = row.closingTimestamp!;
    if (closing < row.openingTimestamp) throw invalid(`${label} closes before it opens`);
    if (close !== null && closing > close) {
      throw invalid(`${label} closes at ${formatTime(closing)}, after the position's close`);
    }
    closed.push(rowSegment(row, label, invalid));
    expectedOpening = closing;
  }
  let tail: Segment | StatisticError;
  try {
    tail = { ...tailSegment(position, invalid), start: expectedOpening };
  } catch (error) {
    if (!(error instanceof StatisticError)) throw error;
    tail = error;
  }
  return { closed, tailStart: expectedOpening, tail, close };
}

function closeTime(position: Position, invalid: (reason: string) => StatisticError): number | null {
  if (position.status === 'active') return null;
  if (position.closeTimestamp === null) {
    throw invalid(`status is ${position.status} but close_timestamp is empty`);
  }
  if (position.closeTimestamp < position.entryTimestamp) {
    throw invalid('close_timestamp is before entry_timestamp');
  }
  return position.closeTimestamp;
}

function tailSegment(position: Position, invalid: (reason: string) => StatisticError): Segment {
  const { deploymentUsd, weights } = position;
  checkSize(deploymentUsd, weights, 'positions row', invalid);
  const price = (leg: LegId): number => {
    const p = position.entryPrices[leg];
    if (p === null || !Number.isFinite(p) || p <= 0) {
      throw invalid(`entry_price_${leg} must be a positive number`);
    }
    return p;
  };
  const amount2a = (weights.bA * deploymentUsd) / price('2a');
  return {
    start: position.entryTimestamp,
    end: null,
    deploymentUsd,
    weights,
    amounts: {
      '1a': (weights.lA * deploymentUsd) / price('1a'),
      '2a': amount2a,
      '2b': amount2a,
      '3b': (weights.bB * deploymentUsd) / price('3b'),
    },
    realisedFees: null,
    fromRow: false,
  };
}

function rowSegment(
  row: RebalanceRow,
  label: string,
  invalid: (reason: string) => StatisticError,
): Segment {
  const { lA, bA, lB, bB } = row.weights;
  if (row.deploymentUsd === null || lA === null || bA === null || lB === null || bB === null) {
    throw invalid(`${label} lacks deployment_usd or a weight`);
  }
  const weights = { lA, bA, lB, bB };
  const deploymentUsd = row.deploymentUsd;
  checkSize(deploymentUsd, weights, label, invalid);

  const computed = (leg: LegId, weight: number): number => {
    const stored = row.entryTokenAmounts[leg];
    if (stored !== null) return stored;
    const p = row.openingPrices[leg];
    if (p === null || !Number.isFinite(p) || p <= 0) {
      throw invalid(
        `${label} has no entry_token_amount_${leg} and no positive opening_price_${leg}`,
      );
    }
    return (weight * deploymentUsd) / p;
  };
  const amount2a = computed('2a', bA);
  return {
    start: row.openingTimestamp,
    end: row.closingTimestamp,
    deploymentUsd,
    weights,
    amounts: {
      '1a': computed('1a', lA),
      '2a': amount2a,
      '2b': row.entryTokenAmounts['2b'] ?? amount2a,
      '3b': computed('3b', bB),
    },
    realisedFees: row.realisedFees ?? 0,
    fromRow: true,
  };
}

function checkSize(
  deploymentUsd: number,
  weights: Weights,
  label: string,
  invalid: (reason: string) => StatisticError,
): void {
  if (!Number.isFinite(deploymentUsd) || deploymentUsd <= 0) {
    throw invalid(`${label}: deployment_usd must be a positive number`);
  }
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value)) throw invalid(`${label}: weight ${name} is not a number`);
  }
}

export interface SegmentsAt {
  /** Segments closed by T, in order. */
  closedByT: Segment[];
  /** The segment open at T, or null (after the last closing of a closed position). */
  open: Segment | null;
}

/**
 * The segments started by T: those closed by T and the one open at T. At the close of a closed
 * position every segment counts as closed, the positions-row tail included. Throws the tail's
 * error when T needs the tail and the positions row cannot describe it.
 */
export function segmentsAt(segments: PositionSegments, t: number): SegmentsAt {
  const closedByT: Segment[] = [];
  let open: Segment | null = null;
  for (const segment of segments.closed) {
    if (segment.start > t) break;
    if (segment.end! <= t) closedByT.push(segment);
    else open = segment;
  }
  if (open !== null) return { closedByT, open };

  const atClose = segments.close !== null && t === segments.close;
  const tailExists = !atClose || segments.tailStart < t || segments.closed.length === 0;
  if (!tailExists) return { closedByT, open };
  if (segments.tail instanceof StatisticError) throw segments.tail;
  if (atClose) closedByT.push(segments.tail);
  else open = segments.tail;
  return { closedByT, open };
}
