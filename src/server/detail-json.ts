/** JSON of one position's detail (GET /api/positions/:id). */
import { formatTime } from '../domain/time.js';
import { time, positionAtJson } from './json.js';
import type { LegRates, PositionDetail } from './position-detail.js';

export function detailJson(detail: PositionDetail, at: number) {
  return {
    at: formatTime(at),
    moment: formatTime(detail.moment),
    ...positionAtJson(detail, at),
    legs: detail.legs.map((leg) => ({
      leg: leg.leg.toUpperCase(),
      action: leg.action,
      protocol: leg.protocol,
      token: leg.token,
      token_contract: leg.tokenContract,
      weight: leg.weight,
      token_amount: leg.tokenAmount,
      at_entry: ratesJson(leg.atEntry),
      at_t: ratesJson(leg.atT),
    })),
    segments: detail.segments.map((segment) => ({
      start: formatTime(segment.start),
      end: time(segment.end),
      open: segment.end === null,
      deployment_usd: segment.deploymentUsd,
      l_a: segment.weights.lA,
      b_a: segment.weights.bA,
      l_b: segment.weights.lB,
      b_b: segment.weights.bB,
      realised_fees: segment.realisedFees,
      from_rebalance_row: segment.fromRow,
    })),
    segments_error: detail.segmentsError,
    history: detail.history.map(({ stat, gapBefore }) => ({
      timestamp: formatTime(stat.timestamp),
      gap_before: gapBefore,
      ...stat.values,
    })),
  };
}

function ratesJson(rates: LegRates | null) {
  if (rates === null) return null;
  return {
    snapshot: formatTime(rates.rowTime),
    base_apr: rates.base,
    reward_apr: rates.reward,
    apr: rates.rate,
    price_usd: rates.price,
  };
}
