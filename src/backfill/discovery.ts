/** Discovery: everything a run needs about its positions, in a handful of queries. */
import { marketKey } from '../domain/market.js';
import { MarketSeries } from '../domain/series.js';
import type { Position, RebalanceRow } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import {
  listMarkets,
  loadPositions,
  loadRateRows,
  loadRebalances,
  loadStatisticKeys,
  snapshotTimes,
} from '../store/queries.js';
import { selectPositions } from './select.js';

export interface Discovery {
  positions: Position[];
  /** Positions whose row cannot be used at all (a required column is empty). */
  invalid: { positionId: string; reason: string }[];
  rebalances: Map<string, RebalanceRow[]>;
  /** Stored statistic instants per position, ascending. */
  existing: Map<string, number[]>;
  snapshotTimes: number[];
}

export async function discover(store: Store, selectors: readonly string[]): Promise<Discovery> {
  const all = await loadPositions(store);
  let { positions, invalid } = all;
  if (selectors.length > 0) {
    const known = [...positions.map((p) => p.positionId), ...invalid.map((p) => p.positionId)];
    const chosen = selectPositions(known, selectors);
    positions = positions.filter((p) => chosen.has(p.positionId));
    invalid = invalid.filter((p) => chosen.has(p.positionId));
  }
  const ids = positions.map((p) => p.positionId);
  const [rebalances, existing, times] = await Promise.all([
    loadRebalances(store, ids),
    loadStatisticKeys(store, ids),
    snapshotTimes(store),
  ]);
  return { positions, invalid, rebalances, existing, snapshotTimes: times };
}

/** The markets the positions' legs use, as normalized keys. */
export function legMarkets(positions: readonly Position[]): Set<string> {
  const keys = new Set<string>();
  for (const p of positions) {
    keys.add(marketKey(p.protocolA, p.token1Contract));
    keys.add(marketKey(p.protocolA, p.token2Contract));
    keys.add(marketKey(p.protocolB, p.token2Contract));
    keys.add(marketKey(p.protocolB, p.token3Contract));
  }
  return keys;
}

/**
 * Loads the rate rows of the given markets up to `upTo` (all rows when omitted) and builds one
 * series per market. Raw spellings that normalize to the same market (case, leading zeros) are
 * merged.
 */
export async function loadSeries(
  store: Store,
  keys: ReadonlySet<string>,
  upTo?: number,
): Promise<Map<string, MarketSeries>> {
  const raw = (await listMarkets(store)).filter((m) =>
    keys.has(marketKey(m.protocol, m.tokenContract)),
  );
  // One market at a time: only its rows are in memory while its series is built.
  const byKey = new Map<string, typeof raw>();
  for (const market of raw) {
    const key = marketKey(market.protocol, market.tokenContract);
    byKey.set(key, [...(byKey.get(key) ?? []), market]);
  }
  const series = new Map<string, MarketSeries>();
  for (const [key, spellings] of byKey) {
    const rows = await loadRateRows(store, spellings, upTo === undefined ? {} : { upTo });
    series.set(key, MarketSeries.fromRows(rows));
  }
  return series;
}
