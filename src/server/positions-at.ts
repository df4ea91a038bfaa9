/**
 * Every position at T: active ones (entered at or before T, not closed before T), then those
 * closed by T with their final figures, and the portfolio totals. One query reads the latest
 * stored statistics; the engine fills in only what is missing or too old.
 */
import { closeOf } from '../domain/plan.js';
import type { StatisticError } from '../domain/errors.js';
import type { Position } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { loadLatestStatistics } from '../store/latest-statistics.js';
import type { InvalidPosition, StoredStatistic } from '../store/queries.js';
import { compareText } from '../store/positions.js';
import { portfolioTotals, type PortfolioTotals } from './portfolio.js';
import type { ReferenceData } from './reference-data.js';
import {
  chooseStored,
  computedFigure,
  computeStatistics,
  type ComputeRequest,
  type Figure,
} from './statistic-at.js';

export interface PositionAt {
  position: Position;
  group: 'active' | 'closed';
  figure: Figure | null;
  /** Why the engine could not compute the figure (no rate data, invalid data). */
  error: string | null;
}

export interface PositionsAt {
  at: number;
  now: number;
  positions: PositionAt[];
  /** Positions rows that cannot be read at all. */
  invalid: InvalidPosition[];
  totals: PortfolioTotals;
}

export interface FigureContext {
  /** The wall clock: the age of a stored row, and so the grid spacing it must meet, counts from it. */
  now: number;
  maxRateAgeSeconds: number;
}

export async function positionsAt(
  store: Store,
  reference: ReferenceData,
  at: number,
  context: FigureContext,
): Promise<PositionsAt> {
  const [loaded, latest] = await Promise.all([
    reference.loadPositions(),
    loadLatestStatistics(store, at),
  ]);
  const entered = loaded.positions.filter((p) => p.entryTimestamp <= at);
  const positions = await figuresAt(reference, entered, latest, at, context);

  positions.sort(
    (a, b) =>
      (a.group === b.group ? 0 : a.group === 'active' ? -1 : 1) ||
      a.position.entryTimestamp - b.position.entryTimestamp ||
      compareText(a.position.positionId, b.position.positionId),
  );
  const withFigures = positions.flatMap((row) =>
    row.figure === null
      ? []
      : [{ group: row.group, entry: row.position.entryTimestamp, figure: row.figure }],
  );
  return {
    at,
    now: context.now,
    positions,
    invalid: loaded.invalid,
    totals: portfolioTotals(withFigures),
  };
}

/** The figure of each position at T (all entered by T), reading or computing as needed. */
export async function figuresAt(
  reference: ReferenceData,
  positions: readonly Position[],
  latest: ReadonlyMap<string, StoredStatistic>,
  at: number,
  context: FigureContext,
): Promise<PositionAt[]> {
  const requests: ComputeRequest[] = [];
  const rows = positions.map((position): PositionAt => {
    const close = closeOf(position);
    const group = close !== null && close < at ? 'closed' : 'active';
    const choice = chooseStored(position, latest.get(position.positionId), at, context.now);
    if ('position' in choice) {
      requests.push(choice);
      return { position, group, figure: null, error: null };
    }
    return { position, group, figure: choice, error: null };
  });
  if (requests.length === 0) return rows;

  const results = await computeStatistics(reference, requests, context.maxRateAgeSeconds);
  const byId = new Map(requests.map((request) => [request.position.positionId, request]));
  for (const row of rows) {
    const request = byId.get(row.position.positionId);
    if (request === undefined) continue;
    const result = results.get(row.position.positionId)!;
    if (isError(result)) row.error = result.message;
    else row.figure = computedFigure(request, result);
  }
  return rows;
}

function isError(value: object): value is StatisticError {
  return value instanceof Error;
}
