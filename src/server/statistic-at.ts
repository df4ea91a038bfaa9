/**
 * The figures of a position at T: its stored statistic when one is recent enough, otherwise the
 * engine's exact value computed on the spot (and flagged so).
 */
import { StatisticError } from '../domain/errors.js';
import { closeOf, gridSpacing } from '../domain/plan.js';
import { PositionCalculator, type StatisticResult } from '../domain/statistic.js';
import { statisticColumns, type MetricColumn, type Position } from '../domain/types.js';
import type { StoredStatistic } from '../store/queries.js';
import type { ReferenceData } from './reference-data.js';

/** Why a figure was computed rather than read. */
export type ComputeReason = 'missing' | 'stale' | 'not_final' | 'incomplete';

export interface Figure {
  /** The moment the figures describe: T, or the close of a position closed by T. */
  asOf: number;
  computed: boolean;
  reason: ComputeReason | null;
  /** The stored row that was passed over, if any. */
  passedOver: number | null;
  calculationTimestamp: number | null;
  /** current_apr is NULL because a leg's rates were older than the limit (computed figures). */
  staleRates: boolean;
  deploymentUsd: number;
  values: Record<MetricColumn, number | null>;
}

export interface ComputeRequest {
  position: Position;
  at: number;
  reason: ComputeReason;
  passedOver: number | null;
}

/** Columns a usable stored row must hold; APRs may be NULL where the spec allows. */
const REQUIRED: readonly MetricColumn[] = [
  'total_pnl',
  'total_earnings',
  'base_earnings',
  'reward_earnings',
  'total_fees',
  'current_value',
  'live_pnl',
  'realized_pnl',
];

/** The moment a position's figures at T describe: T, or its close when that came first. */
export function figureMoment(position: Position, at: number): number {
  const close = closeOf(position);
  return close !== null && close < at ? close : at;
}

/**
 * The stored row if it may stand for the position at T, else what to compute. A closed position
 * needs its row at the close exactly; an open one accepts a row no older than the plan's grid
 * spacing at the row's age (the coverage rule of `verify`), `now` being the wall clock.
 */
export function chooseStored(
  position: Position,
  stored: StoredStatistic | undefined,
  at: number,
  now: number,
): Figure | ComputeRequest {
  const moment = figureMoment(position, at);
  const close = closeOf(position);
  const request = (reason: ComputeReason): ComputeRequest => ({
    position,
    at: moment,
    reason,
    passedOver: stored?.timestamp ?? null,
  });

  if (stored === undefined || stored.timestamp < position.entryTimestamp) return request('missing');
  if (REQUIRED.some((column) => stored.values[column] === null)) return request('incomplete');
  if (close !== null && close <= at) {
    if (stored.timestamp !== close) return request('not_final');
  } else if (at - stored.timestamp > gridSpacing(now - stored.timestamp)) {
    return request('stale');
  }

  const values = stored.values;
  return {
    asOf: stored.timestamp,
    computed: false,
    reason: null,
    passedOver: null,
    calculationTimestamp: stored.calculationTimestamp,
    staleRates: false,
    deploymentUsd: values.current_value! - values.total_pnl!,
    values,
  };
}

export function computedFigure(request: ComputeRequest, result: StatisticResult): Figure {
  const stat = result.statistic;
  return {
    asOf: stat.timestamp,
    computed: true,
    reason: request.reason,
    passedOver: request.passedOver,
    calculationTimestamp: null,
    staleRates: result.stale,
    deploymentUsd: stat.currentValue - stat.totalPnl,
    values: statisticColumns(stat),
  };
}

/** Runs the engine for each request; a statistic that cannot be computed is its error. */
export async function computeStatistics(
  reference: ReferenceData,
  requests: readonly ComputeRequest[],
  maxRateAgeSeconds: number,
): Promise<Map<string, StatisticResult | StatisticError>> {
  const results = new Map<string, StatisticResult | StatisticError>();
  if (requests.length === 0) return results;

  const rebalances = await reference.loadRebalances();
  const lookup = await reference.seriesFor(requests.map((r) => r.position));
  for (const { position, at } of requests) {
    const id = position.positionId;
    const unreadable = rebalances.invalid.find((row) => row.positionId === id);
    if (unreadable !== undefined) {
      const message = `invalid position data for ${id}: ${unreadable.reason}`;
      results.set(id, new StatisticError('INVALID_POSITION_DATA', id, at, message));
      continue;
    }
    const calculator = new PositionCalculator(
      position,
      rebalances.get(id) ?? [],
      lookup,
      maxRateAgeSeconds,
    );
    try {
      results.set(id, calculator.at(at));
    } catch (error) {
      if (!(error instanceof StatisticError)) throw error;
      results.set(id, error);
    }
  }
  return results;
}
