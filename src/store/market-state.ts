/**
 * The columns of rates_snapshot the engine does not carry (label, collateral ratio, liquidation
 * threshold, borrow weight), as in force at a moment: the latest known value of each column at
 * or before it, the same NULL rule SPEC-statistics.md gives the rates.
 */
import { marketKey, normalizeCoinType } from '../domain/market.js';
import { formatTime } from '../domain/time.js';
import type { Store } from './connection.js';
import { listMarkets } from './rates.js';
import { cachedTimeReader, optionalNumber, optionalText } from './row-reader.js';
import { lowerKeys } from './normalize.js';
import { textBelow } from './text-bounds.js';

export interface MarketState {
  token: string | null;
  collateralRatio: number | null;
  liquidationThreshold: number | null;
  borrowWeight: number | null;
}

/** By market key (marketKey); markets without a row at or before `at` are absent. */
export async function marketStatesAt(
  store: Store,
  keys: ReadonlySet<string>,
  at: number,
): Promise<Map<string, MarketState>> {
  const markets = (await listMarkets(store)).filter((market) =>
    keys.has(marketKey(market.protocol, market.tokenContract)),
  );
  const readTime = cachedTimeReader();
  const rowsByKey = new Map<string, { time: number; row: Record<string, unknown> }[]>();
  for (const market of markets) {
    const rows = await store.db
      .selectFrom('rates_snapshot')
      .select([
        'timestamp as timestamp',
        'token as token',
        'collateral_ratio as collateral_ratio',
        'liquidation_threshold as liquidation_threshold',
        'borrow_weight as borrow_weight',
      ])
      .where('protocol', '=', market.protocol)
      .where('token_contract', '=', market.tokenContract)
      .where(
        'timestamp',
        store.dialect === 'sqlite' ? '<' : '<=',
        store.dialect === 'sqlite' ? textBelow(at) : formatTime(at),
      )
      .execute();
    const key = marketKey(market.protocol, market.tokenContract);
    const list = rowsByKey.get(key) ?? [];
    for (const row of rows) {
      const time = readTime(row.timestamp);
      if (time <= at) list.push({ time, row: lowerKeys(row) });
    }
    rowsByKey.set(key, list);
  }

  const states = new Map<string, MarketState>();
  for (const [key, rows] of rowsByKey) {
    if (rows.length === 0) continue;
    rows.sort((a, b) => a.time - b.time);
    const state: MarketState = {
      token: null,
      collateralRatio: null,
      liquidationThreshold: null,
      borrowWeight: null,
    };
    for (const { row } of rows) {
      state.token = optionalText(row, 'token') ?? state.token;
      state.collateralRatio = optionalNumber(row, 'collateral_ratio') ?? state.collateralRatio;
      state.liquidationThreshold =
        optionalNumber(row, 'liquidation_threshold') ?? state.liquidationThreshold;
      state.borrowWeight = optionalNumber(row, 'borrow_weight') ?? state.borrowWeight;
    }
    states.set(key, state);
  }
  return states;
}

/** `token_registry.symbol` by normalized coin type, for the (normalized) coins asked. */
export async function registrySymbols(
  store: Store,
  coins: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const rows = await store.db
    .selectFrom('token_registry')
    .select(['token_contract as token_contract', 'symbol as symbol'])
    .execute();
  const symbols = new Map<string, string>();
  for (const row of rows.map(lowerKeys)) {
    const coin = normalizeCoinType(String(row['token_contract']));
    const symbol = optionalText(row, 'symbol');
    if (coins.has(coin) && symbol !== null && symbol.trim() !== '') symbols.set(coin, symbol);
  }
  return symbols;
}
