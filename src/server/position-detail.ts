/**
 * One position at T: its figures, its four legs, its segments up to T, and its stored statistics
 * up to T for the charts. Rebalance rows dated after T never show: the segment open at T is shown
 * open, with the weights its row records (the truth at T), but without its later closing.
 */
import { StatisticError } from '../domain/errors.js';
import { marketKey } from '../domain/market.js';
import { gridSpacing } from '../domain/plan.js';
import { buildSegments, segmentsAt, type Segment } from '../domain/segments.js';
import type { SeriesLookup } from '../domain/statistic.js';
import type { LegId, Position } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { loadLatestStatistics } from '../store/latest-statistics.js';
import { loadStatistics, type StoredStatistic } from '../store/queries.js';
import { figuresAt, type FigureContext, type PositionAt } from './positions-at.js';
import type { ReferenceData } from './reference-data.js';
import { figureMoment } from './statistic-at.js';

export interface LegRates {
  /** Time of the snapshot row in force. */
  rowTime: number;
  base: number | null;
  reward: number;
  /** Lend: base + reward. Borrow: base - reward (the net cost). */
  rate: number | null;
  price: number | null;
}

export interface LegAt {
  leg: LegId;
  action: 'lend' | 'borrow';
  protocol: string;
  token: string | null;
  tokenContract: string;
  weight: number | null;
  tokenAmount: number | null;
  atEntry: LegRates | null;
  atT: LegRates | null;
}

export interface SegmentAt {
  start: number;
  /** Null for the segment still open at T. */
  end: number | null;
  deploymentUsd: number;
  weights: Segment['weights'];
  /** Stored realised_fees of a closed rebalance row. */
  realisedFees: number | null;
  fromRow: boolean;
}

export interface PositionDetail extends PositionAt {
  /** The moment the figures and legs describe: T, or the close when that came first. */
  moment: number;
  legs: LegAt[];
  segments: SegmentAt[];
  segmentsError: string | null;
  history: { stat: StoredStatistic; gapBefore: boolean }[];
}

const LEG_SIDES: Record<LegId, 'lend' | 'borrow'> = {
  '1a': 'lend',
  '2a': 'borrow',
  '2b': 'lend',
  '3b': 'borrow',
};

export async function positionDetail(
  store: Store,
  reference: ReferenceData,
  position: Position,
  at: number,
  context: FigureContext,
): Promise<PositionDetail> {
  const latest = await loadLatestStatistics(store, at);
  const [row] = await figuresAt(reference, [position], latest, at, context);
  const moment = figureMoment(position, at);

  const rebalances = await reference.loadRebalances();
  const lookup = await reference.seriesFor([position]);
  let segments: SegmentAt[] = [];
  let current: Segment | null = null;
  let segmentsError: string | null = null;
  try {
    ({ segments, current } = segmentsUpTo(position, rebalances.get(position.positionId), moment));
  } catch (error) {
    if (!(error instanceof StatisticError)) throw error;
    segmentsError = error.message;
  }

  const stored = await loadStatistics(store, {
    positionIds: [position.positionId],
    from: position.entryTimestamp,
    to: moment,
  });
  return {
    ...row!,
    moment,
    legs: legsAt(position, current, lookup, moment),
    segments,
    segmentsError,
    history: stored.map((stat, i) => ({
      stat,
      gapBefore: i > 0 && gapBetween(stored[i - 1]!.timestamp, stat.timestamp, context.now),
    })),
  };
}

/** Two stored rows further apart than the plan's spacing at the first one's age leave a gap. */
function gapBetween(a: number, b: number, now: number): boolean {
  return b - a > gridSpacing(now - a);
}

function segmentsUpTo(
  position: Position,
  rows: Parameters<typeof buildSegments>[1] | undefined,
  moment: number,
): { segments: SegmentAt[]; current: Segment | null } {
  const built = buildSegments(position, rows ?? []);
  const { closedByT, open } = segmentsAt(built, moment);
  // The tail has no end of its own: at the close, it ends there.
  const shown = closedByT.map((segment) => segmentAt(segment, segment.end ?? built.close));
  if (open !== null) shown.push(segmentAt(open, null));
  return { segments: shown, current: open ?? closedByT.at(-1) ?? null };
}

function segmentAt(segment: Segment, end: number | null): SegmentAt {
  return {
    start: segment.start,
    end,
    deploymentUsd: segment.deploymentUsd,
    weights: segment.weights,
    realisedFees: segment.fromRow && end !== null ? segment.realisedFees : null,
    fromRow: segment.fromRow,
  };
}

function legsAt(
  position: Position,
  current: Segment | null,
  lookup: SeriesLookup,
  moment: number,
): LegAt[] {
  const p = position;
  const legs: [LegId, string, string, string | null][] = [
    ['1a', p.protocolA, p.token1Contract, p.token1],
    ['2a', p.protocolA, p.token2Contract, p.token2],
    ['2b', p.protocolB, p.token2Contract, p.token2],
    ['3b', p.protocolB, p.token3Contract, p.token3],
  ];
  const weightKey = { '1a': 'lA', '2a': 'bA', '2b': 'lB', '3b': 'bB' } as const;
  return legs.map(([leg, protocol, contract, token]) => {
    const series = lookup(marketKey(protocol, contract));
    const side = LEG_SIDES[leg];
    const rates = (t: number): LegRates | null => ratesAt(series, side, t);
    return {
      leg,
      action: side,
      protocol,
      token,
      tokenContract: contract,
      weight: current === null ? null : current.weights[weightKey[leg]],
      tokenAmount: current === null ? null : current.amounts[leg],
      atEntry: rates(position.entryTimestamp),
      atT: rates(moment),
    };
  });
}

function ratesAt(
  series: ReturnType<SeriesLookup>,
  side: 'lend' | 'borrow',
  t: number,
): LegRates | null {
  const values = series?.inForce(t);
  if (values === undefined || values === null) return null;
  const known = (v: number): number | null => (Number.isNaN(v) ? null : v);
  const base = known(side === 'lend' ? values.lendBase : values.borrowBase);
  const reward = known(side === 'lend' ? values.lendReward : values.borrowReward) ?? 0;
  const rate = base === null ? null : side === 'lend' ? base + reward : base - reward;
  return { rowTime: values.rowTime, base, reward, rate, price: known(values.price) };
}
