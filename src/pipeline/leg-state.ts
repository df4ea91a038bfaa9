/**
 * The snapshot in force for a position's four legs at a moment: what a lifecycle write records as
 * a segment's opening or closing state. Rates and prices come from the engine's series (the NULL
 * rules of SPEC-statistics.md), so the recorded prices are exactly the ones the engine uses.
 */
import { LendstatsError } from '../domain/errors.js';
import { marketKey } from '../domain/market.js';
import type { MarketSeries } from '../domain/series.js';
import { formatTime } from '../domain/time.js';
import type { LegId, Weights } from '../domain/types.js';
import type { MarketState } from '../store/market-state.js';

export interface LegDefinition {
  leg: LegId;
  side: 'lend' | 'borrow';
  protocol: string;
  coinType: string;
}

export interface LegState extends LegDefinition {
  /** Lend: base + reward. Borrow: base - reward, the net cost. */
  rate: number;
  price: number;
  /** One-time fraction charged on a new borrow; null when never known. */
  borrowFee: number | null;
  collateralRatio: number | null;
  liquidationThreshold: number | null;
  borrowWeight: number | null;
  /** The protocol's label for the coin. */
  token: string | null;
}

export type LegStates = Record<LegId, LegState>;

export interface LegMarkets {
  protocolA: string;
  protocolB: string;
  token1Contract: string;
  token2Contract: string;
  token3Contract: string;
}

/** 1A lends token1 on A, 2A borrows token2 on A, 2B lends token2 on B, 3B borrows token3 on B. */
export function positionLegs(p: LegMarkets): LegDefinition[] {
  return [
    { leg: '1a', side: 'lend', protocol: p.protocolA, coinType: p.token1Contract },
    { leg: '2a', side: 'borrow', protocol: p.protocolA, coinType: p.token2Contract },
    { leg: '2b', side: 'lend', protocol: p.protocolB, coinType: p.token2Contract },
    { leg: '3b', side: 'borrow', protocol: p.protocolB, coinType: p.token3Contract },
  ];
}

/** Throws NO_RATE_DATA when a leg has no row, base rate or price at or before `at`. */
export function legStatesAt(
  legs: readonly LegDefinition[],
  series: ReadonlyMap<string, MarketSeries>,
  states: ReadonlyMap<string, MarketState>,
  at: number,
): LegStates {
  const result = {} as LegStates;
  for (const leg of legs) {
    const key = marketKey(leg.protocol, leg.coinType);
    const rates = series.get(key)?.inForce(at) ?? null;
    const base = leg.side === 'lend' ? rates?.lendBase : rates?.borrowBase;
    if (rates === null || base === undefined || Number.isNaN(base) || Number.isNaN(rates.price)) {
      throw new LendstatsError(
        'NO_RATE_DATA',
        `no rate data for ${leg.protocol} ${leg.coinType} at or before ${formatTime(at)}`,
      );
    }
    const reward = leg.side === 'lend' ? rates.lendReward : rates.borrowReward;
    const knownReward = Number.isNaN(reward) ? 0 : reward;
    const state = states.get(key);
    result[leg.leg] = {
      ...leg,
      rate: leg.side === 'lend' ? base + knownReward : base - knownReward,
      price: rates.price,
      borrowFee: Number.isNaN(rates.borrowFee) ? null : rates.borrowFee,
      collateralRatio: state?.collateralRatio ?? null,
      liquidationThreshold: state?.liquidationThreshold ?? null,
      borrowWeight: state?.borrowWeight ?? null,
      token: state?.token ?? null,
    };
  }
  return result;
}

/**
 * The recursive-lending weights for a liquidation distance d: each side borrows the share
 * r = liquidation_threshold * (1 - d) of its collateral (r_A from leg 1A, r_B from leg 2B), and
 * the loop's geometric sum gives L_A = 1 / (1 - r_A r_B), B_A = r_A L_A, L_B = B_A, B_B = r_B L_B.
 */
export function leverageWeights(states: LegStates, distance: number): Weights {
  if (!Number.isFinite(distance) || distance < 0 || distance >= 1) {
    throw new LendstatsError('BAD_ARGUMENT', 'the liquidation distance must be in [0, 1)');
  }
  const share = (leg: LegId): number => {
    const threshold = states[leg].liquidationThreshold;
    if (threshold === null || threshold <= 0 || threshold >= 1) {
      throw new LendstatsError(
        'BAD_ARGUMENT',
        `leg ${leg.toUpperCase()} (${states[leg].protocol} ${states[leg].coinType}) has no ` +
          'usable liquidation_threshold in the snapshot; give the weights explicitly',
      );
    }
    return threshold * (1 - distance);
  };
  const rA = share('1a');
  const rB = share('2b');
  const lA = 1 / (1 - rA * rB);
  const bA = rA * lA;
  return { lA, bA, lB: bA, bB: rB * bA };
}

/** The current APR formula of SPEC-statistics.md on these states: the position's net APR. */
export function netApr(weights: Weights, states: LegStates): number {
  const fee = (leg: LegId): number => states[leg].borrowFee ?? 0;
  return (
    weights.lA * states['1a'].rate +
    weights.lB * states['2b'].rate -
    weights.bA * states['2a'].rate -
    weights.bB * states['3b'].rate -
    (weights.bA * fee('2a') + weights.bB * fee('3b'))
  );
}

const WEIGHT_NAMES: Record<keyof Weights, string> = { lA: 'L_A', bA: 'B_A', lB: 'L_B', bB: 'B_B' };

/** Deployment and weights a user may give: finite, a positive deployment and L_A, no negatives. */
export function checkSizing(deploymentUsd: number, weights: Weights): void {
  if (!Number.isFinite(deploymentUsd) || deploymentUsd <= 0) {
    throw new LendstatsError('BAD_ARGUMENT', 'deployment_usd must be a positive number');
  }
  for (const [name, value] of Object.entries(weights) as [keyof Weights, number][]) {
    if (!Number.isFinite(value) || value < 0) {
      throw new LendstatsError(
        'BAD_ARGUMENT',
        `weight ${WEIGHT_NAMES[name]} must be a number >= 0`,
      );
    }
  }
  if (weights.lA <= 0) throw new LendstatsError('BAD_ARGUMENT', 'weight L_A must be positive');
}
