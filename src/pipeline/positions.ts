/**
 * The positions lifecycle: open, rebalance and close, each in one transaction, writing the
 * `positions` and `position_rebalances` rows exactly as SCHEMA.md and SPEC-statistics.md read
 * them. Opening and closing states come from the snapshot in force (the latest row at or before
 * the moment). Stored statistics the write makes wrong (at or after its moment) are recomputed.
 */
import { randomUUID } from 'node:crypto';

import { loadSeries } from '../backfill/discovery.js';
import { selectPositions } from '../backfill/select.js';
import { LendstatsError } from '../domain/errors.js';
import { marketKey, normalizeCoinType } from '../domain/market.js';
import type { MarketSeries } from '../domain/series.js';
import { formatTime } from '../domain/time.js';
import type { Position, Weights } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { marketStatesAt, registrySymbols } from '../store/market-state.js';
import {
  insertPosition,
  readPositionRow,
  type PositionValues,
  type SegmentValues,
} from '../store/position-writes.js';
import { loadPositions } from '../store/queries.js';
import { inTransaction } from '../store/transaction.js';
import {
  checkSizing,
  legStatesAt,
  leverageWeights,
  netApr,
  positionLegs,
  type LegMarkets,
  type LegStates,
} from './leg-state.js';
import { rewriteStatistics, type RewriteCounts } from './statistics-rewrite.js';

/** Weights given as L_A, B_A, L_B, B_B, or derived from a liquidation distance (leg-state.ts). */
export type Sizing = { weights: Weights } | { liquidationDistance: number };

export interface OpenRequest extends LegMarkets {
  /** Default: a new UUID. */
  positionId?: string;
  at: number;
  deploymentUsd: number;
  sizing: Sizing;
  isPaperTrade?: boolean;
  notes?: string | null;
  walletAddress?: string | null;
  userId?: string | null;
  transactionHash?: string | null;
}

export interface LifecycleOptions {
  /** Wall clock in UTC seconds: created_at, updated_at, calculation_timestamp. */
  clock?: () => number;
  maxRateAgeSeconds?: number;
}

export interface LifecycleResult {
  positionId: string;
  /** The positions row as stored after the write (lower-case keys). */
  position: Record<string, unknown>;
  /** The segment row written; null for an open. */
  segment: SegmentValues | null;
  statistics: RewriteCounts;
}

/** What every write needs to know about a position's markets at its moment. */
export interface MarketsAt {
  series: Map<string, MarketSeries>;
  states: LegStates;
}

export async function openPosition(
  store: Store,
  request: OpenRequest,
  options: LifecycleOptions = {},
): Promise<LifecycleResult> {
  const markets = normalizedMarkets(request);
  const { series, states } = await marketsAt(store, markets, request.at);
  const weights = sizingWeights(request.sizing, states);
  checkSizing(request.deploymentUsd, weights);
  const coins = new Set([markets.token1Contract, markets.token2Contract, markets.token3Contract]);
  const symbols = await registrySymbols(store, coins);
  const positionId = request.positionId?.trim() || randomUUID();
  const now = formatTime(clockOf(options)());

  const values: PositionValues = {
    position_id: positionId,
    status: 'active',
    strategy_type: 'recursive_lending',
    is_paper_trade: request.isPaperTrade === true ? 1 : 0,
    user_id: request.userId ?? null,
    token1: symbols.get(markets.token1Contract) ?? states['1a'].token,
    token2: symbols.get(markets.token2Contract) ?? states['2a'].token ?? states['2b'].token,
    token3: symbols.get(markets.token3Contract) ?? states['3b'].token,
    token1_contract: markets.token1Contract,
    token2_contract: markets.token2Contract,
    token3_contract: markets.token3Contract,
    protocol_a: markets.protocolA,
    protocol_b: markets.protocolB,
    entry_timestamp: formatTime(request.at),
    deployment_usd: request.deploymentUsd,
    l_a: weights.lA,
    b_a: weights.bA,
    l_b: weights.lB,
    b_b: weights.bB,
    ...segmentOpening(states),
    entry_net_apr: netApr(weights, states),
    entry_liquidation_distance:
      'liquidationDistance' in request.sizing ? request.sizing.liquidationDistance : null,
    entry_borrow_fee_2a: states['2a'].borrowFee,
    entry_borrow_fee_3b: states['3b'].borrowFee,
    entry_borrow_weight_2a: states['2a'].borrowWeight,
    entry_borrow_weight_3b: states['3b'].borrowWeight,
    accumulated_realised_pnl: 0,
    rebalance_count: 0,
    notes: request.notes ?? null,
    wallet_address: request.walletAddress ?? null,
    transaction_hash_open: request.transactionHash ?? null,
    created_at: now,
    updated_at: now,
  };

  return inTransaction(store, async (db) => {
    if ((await readPositionRow(db, store.dialect, positionId)) !== null) {
      throw new LendstatsError('BAD_ARGUMENT', `position ${positionId} already exists`);
    }
    await insertPosition(db, values);
    const statistics = await rewriteStatistics(store, db, positionId, request.at, series, options);
    const position = (await readPositionRow(db, store.dialect, positionId))!;
    return { positionId, position, segment: null, statistics };
  });
}

/** The current-segment columns of the positions row, from the snapshot in force. */
export function segmentOpening(states: LegStates) {
  return {
    entry_lend_rate_1a: states['1a'].rate,
    entry_borrow_rate_2a: states['2a'].rate,
    entry_lend_rate_2b: states['2b'].rate,
    entry_borrow_rate_3b: states['3b'].rate,
    entry_price_1a: states['1a'].price,
    entry_price_2a: states['2a'].price,
    entry_price_2b: states['2b'].price,
    entry_price_3b: states['3b'].price,
    entry_collateral_ratio_1a: states['1a'].collateralRatio,
    entry_collateral_ratio_2b: states['2b'].collateralRatio,
    entry_liquidation_threshold_1a: states['1a'].liquidationThreshold,
    entry_liquidation_threshold_2b: states['2b'].liquidationThreshold,
  };
}

/** Every rate row of the legs' markets (later writes recompute statistics after `at`). */
export async function marketsAt(store: Store, markets: LegMarkets, at: number): Promise<MarketsAt> {
  const legs = positionLegs(markets);
  const keys = new Set(legs.map((leg) => marketKey(leg.protocol, leg.coinType)));
  const series = await loadSeries(store, keys);
  const states = legStatesAt(legs, series, await marketStatesAt(store, keys, at), at);
  return { series, states };
}

export function sizingWeights(sizing: Sizing, states: LegStates): Weights {
  return 'weights' in sizing ? sizing.weights : leverageWeights(states, sizing.liquidationDistance);
}

/** A position by full id or unique prefix; its row must be readable. */
export async function findPosition(store: Store, selector: string): Promise<Position> {
  const { positions, invalid } = await loadPositions(store);
  const known = [...positions, ...invalid].map((p) => p.positionId);
  const [id] = [...selectPositions(known, [selector])] as [string];
  const position = positions.find((p) => p.positionId === id);
  if (position === undefined) {
    const reason = invalid.find((p) => p.positionId === id)?.reason ?? 'unreadable row';
    throw new LendstatsError('INVALID_POSITION_DATA', `invalid position data for ${id}: ${reason}`);
  }
  return position;
}

export function clockOf(options: LifecycleOptions): () => number {
  return options.clock ?? (() => Math.floor(Date.now() / 1000));
}

function normalizedMarkets(request: LegMarkets): LegMarkets {
  const coin = (value: string, name: string): string => {
    if (!/^(0x)?[0-9a-f]+::\w+::\w+/i.test(value.trim())) {
      throw new LendstatsError(
        'BAD_ARGUMENT',
        `${name} '${value}' is not a coin type like 0x2::sui::SUI`,
      );
    }
    return normalizeCoinType(value);
  };
  const protocol = (value: string, name: string): string => {
    if (value.trim() === '') throw new LendstatsError('BAD_ARGUMENT', `${name} is empty`);
    return value.trim();
  };
  return {
    protocolA: protocol(request.protocolA, 'protocol_a'),
    protocolB: protocol(request.protocolB, 'protocol_b'),
    token1Contract: coin(request.token1Contract, 'token1_contract'),
    token2Contract: coin(request.token2Contract, 'token2_contract'),
    token3Contract: coin(request.token3Contract, 'token3_contract'),
  };
}
