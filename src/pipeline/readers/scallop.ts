/**
 * Scallop reader over Scallop's public SDK API, `GET /api/market`, answered as
 * `{ pools: [MarketPool], collaterals: [MarketCollateral] }` (the shape DefiLlama's
 * scallop-lend adapter reads; the SDK's `ScallopIndexer.getMarket()` returns the same objects
 * keyed by coin name, which is accepted too).
 *
 * Units (test/fixtures/real/scallop_sdk_market_pool_SUI_2026-01-21.json): `supplyApr`,
 * `borrowApr`, `utilizationRate` and `borrowFee` are already decimals (0.0345 = 3.45 %), so no
 * conversion; `supplyCoin`/`borrowCoin`/`maxBorrowCoin` are token amounts; `coinPrice` is USD.
 * LTV and liquidation threshold come from the matching collateral (`collateralFactor`,
 * `liquidationFactor`, decimals); a pool that is not a collateral gets NULL.
 * The market response carries no incentive APRs (they live in the spool and borrow-incentive
 * endpoints), so the reward columns stay NULL: known limit.
 */
import { z } from 'zod';

import { normalizeCoinType } from '../../domain/market.js';
import { fetchJson, numberLike, onePerCoinType, readResponse, type FetchLike } from './response.js';
import { emptyRatesRow, PROTOCOLS, type RatesRow } from './types.js';

export const SCALLOP_MARKET_URL = 'https://sdk.api.scallop.io/api/market';

const poolSchema = z.object({
  coinType: z.string(),
  symbol: z.string(),
  coinPrice: numberLike,
  supplyApr: numberLike,
  borrowApr: numberLike,
  utilizationRate: numberLike,
  borrowFee: numberLike,
  borrowWeight: numberLike,
  supplyCoin: numberLike,
  borrowCoin: numberLike,
  maxBorrowCoin: numberLike.optional(),
});

const collateralSchema = z.object({
  coinType: z.string(),
  collateralFactor: numberLike,
  liquidationFactor: numberLike,
});

/** Lists may come as arrays (HTTP API) or as objects keyed by coin name (SDK). */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.values(value).filter((entry) => entry !== null && entry !== undefined)
        : value,
    z.array(item),
  );
}

const responseSchema = z.object({
  pools: listOf(poolSchema),
  collaterals: listOf(collateralSchema).optional(),
});

type ScallopPool = z.infer<typeof poolSchema>;
type ScallopCollateral = z.infer<typeof collateralSchema>;

/** Parses the market response into one row per lending pool. */
export function parseScallop(response: unknown, at: number): RatesRow[] {
  const market = readResponse('scallop', responseSchema, response);

  const collaterals = new Map(
    (market.collaterals ?? []).map((entry) => [normalizeCoinType(entry.coinType), entry]),
  );
  return onePerCoinType(market.pools.map((pool) => toRow(pool, collaterals, at)));
}

/** Calls the SDK API and parses its answer. */
export async function fetchScallop(
  at: number,
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<RatesRow[]> {
  return parseScallop(await fetchJson('scallop', SCALLOP_MARKET_URL, fetchImpl), at);
}

function toRow(
  pool: ScallopPool,
  collaterals: Map<string, ScallopCollateral>,
  at: number,
): RatesRow {
  const row = emptyRatesRow(at, PROTOCOLS.scallop, normalizeCoinType(pool.coinType));
  const price = Number(pool.coinPrice);
  const supplied = Number(pool.supplyCoin);
  const borrowed = Number(pool.borrowCoin);
  const borrowRoom =
    pool.maxBorrowCoin === undefined ? Infinity : Number(pool.maxBorrowCoin) - borrowed;
  const collateral = collaterals.get(row.token_contract);

  row.token = pool.symbol;
  row.lend_base_apr = Number(pool.supplyApr);
  row.borrow_base_apr = Number(pool.borrowApr);
  row.collateral_ratio = collateral === undefined ? null : Number(collateral.collateralFactor);
  row.liquidation_threshold =
    collateral === undefined ? null : Number(collateral.liquidationFactor);
  row.price_usd = price;
  row.utilization = Number(pool.utilizationRate);
  row.total_supply_usd = supplied * price;
  row.total_borrow_usd = borrowed * price;
  row.available_borrow_usd = Math.max(0, Math.min(supplied - borrowed, borrowRoom)) * price;
  row.borrow_fee = Number(pool.borrowFee);
  row.borrow_weight = Number(pool.borrowWeight);
  return row;
}
