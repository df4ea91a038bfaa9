/**
 * NAVI reader over the public open API, `GET /api/navi/pools` (the endpoint the original bot
 * and NAVI's own SDK read), answered as `{ "data": [pool, ...] }`. The SDK's `getPools()`
 * returns the same pool objects as a bare array; both are accepted.
 *
 * Units (test/fixtures/real/navi_open_api_pool_haSUI_2026-01-27.json and
 * getPool_example_SUI_2025-07-25.json):
 * - `currentSupplyRate`, `currentBorrowRate`, `ltv`: 1e27 fixed point ("ray"), per year.
 *   They are the full-precision form of `*IncentiveApyInfo.vaultApr` (percent, 3 decimals):
 *   SUI 34282565663493028210648694 / 1e27 = 0.0342826 against vaultApr "3.428".
 * - `*IncentiveApyInfo.boostedApr`: reward APR in percent ("6.6228" -> 0.066228). The borrow
 *   side's `apy` is vaultApr - boostedApr ("8.017" - "6.6228" = "1.394"), so the borrow reward
 *   reduces the cost, as SCHEMA.md stores it.
 * - `totalSupplyAmount`, `borrowedAmount`, `availableBorrow`: token amounts at 9 decimals for every
 *   pool, whatever the token's decimals: for xBTC (8 decimals) `leftSupply` 137.906898263 equals
 *   the cap 5e29 / 1e27 = 500 minus totalSupplyAmount 362093101737 / 1e9.
 * - `liquidationFactor.threshold`: decimal text. `oracle.price`, `token.price`: USD.
 * NAVI has no borrow weight (weight 1) and the pool carries no borrow fee (NULL).
 */
import { z } from 'zod';

import { normalizeCoinType } from '../../domain/market.js';
import { shiftDecimal } from '../../domain/decimal-text.js';
import {
  decimalText,
  fetchJson,
  onePerCoinType,
  readResponse,
  type FetchLike,
} from './response.js';
import { borrowTotal, emptyRatesRow, lendTotal, PROTOCOLS, type RatesRow } from './types.js';

export const NAVI_POOLS_URL =
  'https://open-api.naviprotocol.io/api/navi/pools?env=prod&sdk=1.3.4-dev.2';

const RAY_PLACES = -27;
const AMOUNT_PLACES = -9;
const PERCENT_PLACES = -2;

const incentiveSchema = z.object({
  vaultApr: decimalText,
  boostedApr: decimalText,
  rewardCoin: z.array(z.string()),
});

const poolSchema = z.object({
  coinType: z.string(),
  currentSupplyRate: decimalText,
  currentBorrowRate: decimalText,
  ltv: decimalText,
  totalSupplyAmount: decimalText,
  borrowedAmount: decimalText,
  availableBorrow: decimalText,
  status: z.string().optional(),
  isDeprecated: z.boolean().optional(),
  market: z.string().optional(),
  token: z.object({
    coinType: z.string(),
    symbol: z.string(),
    price: z.number().optional(),
  }),
  oracle: z.object({ price: decimalText, valid: z.boolean() }),
  liquidationFactor: z.object({ threshold: decimalText }),
  supplyIncentiveApyInfo: incentiveSchema,
  borrowIncentiveApyInfo: incentiveSchema,
});

const responseSchema = z.object({ data: z.array(poolSchema) });

type NaviPool = z.infer<typeof poolSchema>;

/** Parses the pools response into one row per active pool of NAVI's main market. */
export function parseNavi(response: unknown, at: number): RatesRow[] {
  const wrapped = Array.isArray(response) ? { data: response } : response;
  const { data } = readResponse('navi', responseSchema, wrapped);

  const pools = data.filter(isListed);
  const byCoin = new Map(pools.map((pool) => [normalizeCoinType(pool.token.coinType), pool]));
  return onePerCoinType(pools.map((pool) => toRow(pool, byCoin, at)));
}

/** Calls the open API and parses its answer. */
export async function fetchNavi(
  at: number,
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<RatesRow[]> {
  return parseNavi(await fetchJson('navi', NAVI_POOLS_URL, fetchImpl), at);
}

/** Deprecated pools and isolated markets other than `main` are left out. */
function isListed(pool: NaviPool): boolean {
  if (pool.isDeprecated === true) return false;
  if (pool.status !== undefined && pool.status !== 'active') return false;
  return pool.market === undefined || pool.market === 'main';
}

/** The oracle price when NAVI marks it valid, else the API's display price, else unknown. */
function priceOf(pool: NaviPool): number | null {
  if (pool.oracle.valid) return Number(pool.oracle.price);
  return pool.token.price ?? null;
}

function toRow(pool: NaviPool, byCoin: Map<string, NaviPool>, at: number): RatesRow {
  const row = emptyRatesRow(at, PROTOCOLS.navi, normalizeCoinType(pool.token.coinType));
  const price = priceOf(pool);
  const supplied = shiftDecimal(pool.totalSupplyAmount, AMOUNT_PLACES);
  const borrowed = shiftDecimal(pool.borrowedAmount, AMOUNT_PLACES);
  const available = shiftDecimal(pool.availableBorrow, AMOUNT_PLACES);

  row.token = pool.token.symbol;
  row.lend_base_apr = shiftDecimal(pool.currentSupplyRate, RAY_PLACES);
  row.lend_reward_apr = shiftDecimal(pool.supplyIncentiveApyInfo.boostedApr, PERCENT_PLACES);
  row.lend_total_apr = lendTotal(row.lend_base_apr, row.lend_reward_apr);
  row.borrow_base_apr = shiftDecimal(pool.currentBorrowRate, RAY_PLACES);
  row.borrow_reward_apr = shiftDecimal(pool.borrowIncentiveApyInfo.boostedApr, PERCENT_PLACES);
  row.borrow_total_apr = borrowTotal(row.borrow_base_apr, row.borrow_reward_apr);
  row.collateral_ratio = shiftDecimal(pool.ltv, RAY_PLACES);
  row.liquidation_threshold = Number(pool.liquidationFactor.threshold);
  row.price_usd = price;
  row.utilization = supplied > 0 ? borrowed / supplied : null;
  row.total_supply_usd = price === null ? null : supplied * price;
  row.total_borrow_usd = price === null ? null : borrowed * price;
  row.available_borrow_usd = price === null ? null : available * price;
  row.borrow_weight = 1;

  const rewardCoin =
    pool.supplyIncentiveApyInfo.rewardCoin[0] ?? pool.borrowIncentiveApyInfo.rewardCoin[0];
  if (rewardCoin !== undefined) {
    row.reward_token_contract = normalizeCoinType(rewardCoin);
    const rewardPool = byCoin.get(row.reward_token_contract);
    row.reward_token = rewardPool?.token.symbol ?? null;
    row.reward_token_price_usd = rewardPool === undefined ? null : priceOf(rewardPool);
  }
  return row;
}
