/**
 * The statistic of one position at T, exactly as SPEC-statistics.md defines it. Pure: the
 * caller supplies the position, its rebalance rows, the market series and T.
 */
import { StatisticError } from './errors.js';
import { marketKey } from './market.js';
import {
  buildSegments,
  segmentsAt,
  type PositionSegments,
  type Segment,
  type SegmentsAt,
} from './segments.js';
import type { Integrand, MarketSeries } from './series.js';
import { formatTime, HOUR, YEAR } from './time.js';
import type { LegId, Position, RebalanceRow, Statistic } from './types.js';

export const DEFAULT_MAX_RATE_AGE_SECONDS = 24 * HOUR;

/** Finds a market's series by its normalized key (see marketKey). */
export type SeriesLookup = (key: string) => MarketSeries | undefined;

export interface StatisticResult {
  statistic: Statistic;
  /** current_apr is NULL because a leg's latest row is older than the limit. */
  stale: boolean;
}

interface Leg {
  id: LegId;
  side: 'lend' | 'borrow';
  protocol: string;
  coinType: string;
  series: MarketSeries | undefined;
  /** Lookup hint: index of the last row found, for ascending T. */
  hint: number;
}

interface SegmentTotals {
  base: number;
  reward: number;
}

const SIDE_INTEGRANDS = {
  lend: { base: 'lendBase', reward: 'lendReward' },
  borrow: { base: 'borrowBase', reward: 'borrowReward' },
} as const satisfies Record<string, { base: Integrand; reward: Integrand }>;

/** Computes statistics of one position at any T; cheapest when T ascends. */
export class PositionCalculator {
  private readonly legs: Leg[];
  private segments: PositionSegments | StatisticError | undefined;
  private readonly closedTotals = new Map<number, SegmentTotals>();
  private readonly segmentStarts = new WeakMap<Segment, Int32Array>();

  constructor(
    private readonly position: Position,
    private readonly rows: readonly RebalanceRow[],
    lookup: SeriesLookup,
    private readonly maxRateAgeSeconds = DEFAULT_MAX_RATE_AGE_SECONDS,
  ) {
    const p = position;
    const leg = (id: LegId, side: Leg['side'], protocol: string, coinType: string): Leg => ({
      id,
      side,
      protocol,
      coinType,
      series: lookup(marketKey(protocol, coinType)),
      hint: 0,
    });
    this.legs = [
      leg('1a', 'lend', p.protocolA, p.token1Contract),
      leg('2a', 'borrow', p.protocolA, p.token2Contract),
      leg('2b', 'lend', p.protocolB, p.token2Contract),
      leg('3b', 'borrow', p.protocolB, p.token3Contract),
    ];
  }

  /** The statistic at T; throws StatisticError when it cannot be computed. */
  at(t: number): StatisticResult {
    const { position } = this;
    if (t < position.entryTimestamp) {
      throw this.fail(
        'OUT_OF_RANGE',
        t,
        `is before its entry at ${formatTime(position.entryTimestamp)}`,
      );
    }
    const segments = this.loadSegments(t);
    if (segments.close !== null && t > segments.close) {
      throw this.fail('OUT_OF_RANGE', t, `is after its close at ${formatTime(segments.close)}`);
    }

    const { closedByT, open } = this.split(segments, t);
    const anyRowClosed = closedByT.some((segment) => segment.fromRow);
    let base = 0;
    let reward = 0;
    let fees = 0;
    let realizedPnl = 0;
    closedByT.forEach((segment, index) => {
      const totals = this.closedSegmentTotals(segment, index, t);
      const segmentFees = segment.fromRow
        ? segment.realisedFees!
        : this.entryFees(segment, anyRowClosed);
      base += totals.base;
      reward += totals.reward;
      fees += segmentFees;
      realizedPnl += totals.base + totals.reward - segmentFees;
    });

    let livePnl = 0;
    if (open !== null) {
      const totals = this.spanTotals(open, t, t);
      const openFees = this.entryFees(open, anyRowClosed);
      base += totals.base;
      reward += totals.reward;
      fees += openFees;
      livePnl = totals.base + totals.reward - openFees;
    }

    const deployment = (open ?? closedByT[closedByT.length - 1] ?? segments.tail) as Segment;
    const totalPnl = realizedPnl + livePnl;
    const elapsed = t - position.entryTimestamp;
    const currentApr = open === null ? null : this.currentApr(open, t);
    const stale = open !== null && currentApr === null;
    return {
      statistic: {
        positionId: position.positionId,
        timestamp: t,
        totalPnl,
        totalEarnings: base + reward,
        baseEarnings: base,
        rewardEarnings: reward,
        totalFees: fees,
        currentValue: deployment.deploymentUsd + totalPnl,
        realizedApr:
          elapsed === 0 ? null : ((totalPnl / deployment.deploymentUsd) * YEAR) / elapsed,
        currentApr,
        livePnl,
        realizedPnl,
      },
      stale,
    };
  }

  private split(segments: PositionSegments, t: number): SegmentsAt {
    try {
      return segmentsAt(segments, t);
    } catch (error) {
      if (!(error instanceof StatisticError)) throw error;
      throw this.reword(error, t);
    }
  }

  private loadSegments(t: number): PositionSegments {
    if (this.segments === undefined) {
      try {
        this.segments = buildSegments(this.position, this.rows);
      } catch (error) {
        if (!(error instanceof StatisticError)) throw error;
        this.segments = error;
      }
    }
    if (this.segments instanceof StatisticError) throw this.reword(this.segments, t);
    return this.segments;
  }

  /** Entry fees count for the segment open at T (or ended by the close) until a row closes. */
  private entryFees(segment: Segment, anyRowClosed: boolean): number {
    if (anyRowClosed) return 0;
    const fee2a = this.position.entryBorrowFee2a ?? 0;
    const fee3b = this.position.entryBorrowFee3b ?? 0;
    const { bA, bB } = segment.weights;
    return segment.deploymentUsd * (bA * fee2a + bB * fee3b);
  }

  private closedSegmentTotals(segment: Segment, index: number, t: number): SegmentTotals {
    const cacheable = segment.fromRow;
    const cached = cacheable ? this.closedTotals.get(index) : undefined;
    if (cached) return cached;
    const totals = this.spanTotals(segment, segment.end ?? t, t);
    if (cacheable) this.closedTotals.set(index, totals);
    return totals;
  }

  /** Base and reward earnings of a segment from its start to `until`. */
  private spanTotals(segment: Segment, until: number, t: number): SegmentTotals {
    let base = 0;
    let reward = 0;
    const starts = this.startIndices(segment, t);
    for (let k = 0; k < this.legs.length; k++) {
      const leg = this.legs[k]!;
      const series = leg.series!;
      const integrands = SIDE_INTEGRANDS[leg.side];
      const ia = starts[k]!;
      const ib = series.indexAt(until, Math.max(leg.hint, ia));
      leg.hint = ib;
      const amount = segment.amounts[leg.id];
      const legBase =
        (amount * series.spanIntegral(integrands.base, segment.start, ia, until, ib)) / YEAR;
      const legReward =
        (amount * series.spanIntegral(integrands.reward, segment.start, ia, until, ib)) / YEAR;
      base += leg.side === 'lend' ? legBase : -legBase;
      reward += legReward;
    }
    return { base, reward };
  }

  /**
   * Per leg, the index of the row in force at the segment's start, after checking the rates
   * there; kept per segment, since every statistic inside it starts from the same moment.
   */
  private startIndices(segment: Segment, t: number): Int32Array {
    const cached = this.segmentStarts.get(segment);
    if (cached) return cached;
    const starts = Int32Array.from(this.legs, (leg) =>
      this.requireRates(leg, segment.start, t).indexAt(segment.start),
    );
    this.segmentStarts.set(segment, starts);
    return starts;
  }

  /** The leg's series, checked to have a row, a base rate and a price by `start`. */
  private requireRates(leg: Leg, start: number, t: number): MarketSeries {
    const rates = leg.series?.inForce(start);
    const base = leg.side === 'lend' ? rates?.lendBase : rates?.borrowBase;
    if (!leg.series || !rates || Number.isNaN(base) || Number.isNaN(rates.price)) {
      throw new StatisticError(
        'NO_RATE_DATA',
        this.position.positionId,
        t,
        `no rate data for ${leg.protocol} ${leg.coinType} at or before ${formatTime(start)}`,
      );
    }
    return leg.series;
  }

  private currentApr(open: Segment, t: number): number | null {
    let total = 0;
    for (const leg of this.legs) {
      const series = leg.series!;
      const i = series.indexAt(t, leg.hint);
      if (i < 0 || t - series.times[i]! > this.maxRateAgeSeconds) return null;
      const weight = weightOf(open, leg.id);
      if (leg.side === 'lend') {
        total += weight * (series.valueAt('lendBase', i) + orZero(series.valueAt('lendReward', i)));
      } else {
        const netCost = series.valueAt('borrowBase', i) - orZero(series.valueAt('borrowReward', i));
        total -= weight * (netCost + orZero(series.valueAt('borrowFee', i)));
      }
    }
    return total;
  }

  private fail(code: 'OUT_OF_RANGE', t: number, what: string): StatisticError {
    return new StatisticError(
      code,
      this.position.positionId,
      t,
      `no statistic for position ${this.position.positionId} at ${formatTime(t)}: it ${what}`,
    );
  }

  private reword(error: StatisticError, t: number): StatisticError {
    return new StatisticError(
      error.code as 'INVALID_POSITION_DATA',
      this.position.positionId,
      t,
      error.message,
    );
  }
}

const orZero = (v: number): number => (Number.isNaN(v) ? 0 : v);

/** The weight a leg carries in a segment: L_A, B_A, L_B, B_B. */
function weightOf(segment: Segment, leg: LegId): number {
  const w = segment.weights;
  return leg === '1a' ? w.lA : leg === '2a' ? w.bA : leg === '2b' ? w.lB : w.bB;
}
