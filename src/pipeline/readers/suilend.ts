/**
 * Suilend reader. Suilend has no rates API: its reserves live in the main LendingMarket object,
 * read with one public Sui JSON-RPC call (`sui_getObject`, `showContent`). `parseSuilend` also
 * takes the SDK's reified market (`{ reserves: [...] }`), the form of the real fixture
 * test/fixtures/real/suilend_sdk_reserves_SUI_wUSDC_2026-01-21.json.
 *
 * Units and derivations (as the reserve stores them, and as the SDK derives its APRs):
 * - `price.value`, `borrowedAmount.value`, `unclaimedSpreadFees.value`: 1e18 fixed point
 *   ("Decimal"); `availableAmount` and limits: integers in the coin's `mintDecimals`.
 * - utilization = borrowed / (available + borrowed); supply = available + borrowed - unclaimed
 *   spread fees.
 * - borrow APR: the `interestRateAprs` curve (basis points) at the utilization, linear between
 *   the `interestRateUtils` points (percent). Lend APR = borrow APR * utilization *
 *   (1 - spreadFeeBps / 1e4).
 * - `openLtvPct`, `closeLtvPct`: percent. `borrowWeightBps`, `borrowFeeBps`: basis points;
 *   a weight of 2^64 - 1 means borrowing is disabled and is stored as NULL.
 * - Reward APR of a side: each running pool reward's `totalRewards` (in the reward coin's
 *   decimals), valued at the reward coin's reserve price, spread over its start-end window and
 *   annualized over 365 days, divided by the side's USD size. A reward coin without a reserve in
 *   the same market (points, outside tokens) cannot be valued: that side's reward is NULL.
 */
import { z } from 'zod';

import { normalizeCoinType } from '../../domain/market.js';
import { shiftDecimal } from '../../domain/decimal-text.js';
import { YEAR } from '../../domain/time.js';
import {
  fetchJson,
  onePerCoinType,
  readResponse,
  ReaderError,
  type FetchLike,
  type JsonRequest,
} from './response.js';
import {
  borrowAprAt,
  fromMoveJson,
  reserveSchema,
  rpcObjectSchema,
  type SuilendPoolReward,
  type SuilendReserve,
} from './suilend-reserve.js';
import { borrowTotal, emptyRatesRow, lendTotal, PROTOCOLS, type RatesRow } from './types.js';

export const SUI_RPC_URL = 'https://fullnode.mainnet.sui.io:443';
export const SUILEND_MAIN_MARKET_ID =
  '0x84030d26d85eaa7035084a057f2f11f701b7e2e4eda87551becbc7c97505ece1';

const WAD_PLACES = -18;
const BPS = 10_000;
const BORROW_DISABLED_WEIGHT = '18446744073709551615';

const marketSchema = z.object({ reserves: z.array(reserveSchema) });

/** Parses the main lending market (JSON-RPC object or SDK form) into one row per reserve. */
export function parseSuilend(response: unknown, at: number): RatesRow[] {
  const { reserves } = readResponse('suilend', marketSchema, marketOf(response));

  const byCoin = new Map(reserves.map((reserve) => [coinOf(reserve), reserve]));
  return onePerCoinType(reserves.map((reserve) => toRow(reserve, byCoin, at)));
}

/** Reads the main lending market object over Sui JSON-RPC and parses it. */
export async function fetchSuilend(
  at: number,
  fetchImpl: FetchLike = globalThis.fetch,
): Promise<RatesRow[]> {
  const body = {
    jsonrpc: '2.0',
    id: 1,
    method: 'sui_getObject',
    params: [SUILEND_MAIN_MARKET_ID, { showContent: true }],
  };
  const init: JsonRequest = {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  };
  return parseSuilend(await fetchJson('suilend', SUI_RPC_URL, fetchImpl, init), at);
}

function marketOf(response: unknown): unknown {
  if (response === null || typeof response !== 'object' || 'reserves' in response) return response;
  if ('error' in response) {
    throw new ReaderError('suilend', 'error', `JSON-RPC error ${JSON.stringify(response.error)}`);
  }
  return fromMoveJson(
    readResponse('suilend', rpcObjectSchema, response).result.data.content.fields,
  );
}

function coinOf(reserve: SuilendReserve): string {
  return normalizeCoinType(reserve.coinType.name);
}

function priceOf(reserve: SuilendReserve): number {
  return shiftDecimal(reserve.price.value, WAD_PLACES);
}

function toRow(reserve: SuilendReserve, byCoin: Map<string, SuilendReserve>, at: number): RatesRow {
  const row = emptyRatesRow(at, PROTOCOLS.suilend, coinOf(reserve));
  const config = reserve.config.element;
  const places = -reserve.mintDecimals;
  const price = priceOf(reserve);
  const available = shiftDecimal(reserve.availableAmount, places);
  const borrowed = shiftDecimal(reserve.borrowedAmount.value, WAD_PLACES + places);
  const spreadFees = shiftDecimal(reserve.unclaimedSpreadFees.value, WAD_PLACES + places);
  const supplied = available + borrowed - spreadFees;
  const utilization = available + borrowed > 0 ? borrowed / (available + borrowed) : 0;
  const borrowRoom = Math.min(
    available,
    shiftDecimal(config.borrowLimit, places) - borrowed,
    Number(config.borrowLimitUsd) / price - borrowed,
  );

  const borrowApr = borrowAprAt(utilization, config.interestRateUtils, config.interestRateAprs);
  const spreadShare = Number(config.spreadFeeBps) / BPS;
  const lendReward = sideReward(
    reserve.depositsPoolRewardManager.poolRewards,
    supplied * price,
    byCoin,
    at,
  );
  const borrowReward = sideReward(
    reserve.borrowsPoolRewardManager.poolRewards,
    borrowed * price,
    byCoin,
    at,
  );

  row.token = symbolOf(row.token_contract);
  row.lend_base_apr = borrowApr === null ? null : borrowApr * utilization * (1 - spreadShare);
  row.lend_reward_apr = lendReward.apr;
  row.lend_total_apr = lendTotal(row.lend_base_apr, row.lend_reward_apr);
  row.borrow_base_apr = borrowApr;
  row.borrow_reward_apr = borrowReward.apr;
  row.borrow_total_apr = borrowTotal(row.borrow_base_apr, row.borrow_reward_apr);
  row.collateral_ratio = config.openLtvPct / 100;
  row.liquidation_threshold = config.closeLtvPct / 100;
  row.price_usd = price;
  row.utilization = utilization;
  row.total_supply_usd = supplied * price;
  row.total_borrow_usd = borrowed * price;
  row.available_borrow_usd = Math.max(0, borrowRoom) * price;
  row.borrow_fee = Number(config.borrowFeeBps) / BPS;
  row.borrow_weight =
    config.borrowWeightBps === BORROW_DISABLED_WEIGHT ? null : Number(config.borrowWeightBps) / BPS;

  const rewardCoin = lendReward.coin ?? borrowReward.coin;
  if (rewardCoin !== null) {
    const rewardReserve = byCoin.get(rewardCoin);
    row.reward_token = symbolOf(rewardCoin);
    row.reward_token_contract = rewardCoin;
    row.reward_token_price_usd = rewardReserve === undefined ? null : priceOf(rewardReserve);
  }
  return row;
}

interface SideReward {
  apr: number | null;
  /** The first running reward's coin type, normalized. */
  coin: string | null;
}

function sideReward(
  rewards: (SuilendPoolReward | null)[],
  sideUsd: number,
  byCoin: Map<string, SuilendReserve>,
  at: number,
): SideReward {
  const atMs = at * 1000;
  const running = rewards.filter(
    (reward): reward is SuilendPoolReward =>
      reward !== null &&
      Number(reward.startTimeMs) <= atMs &&
      atMs < Number(reward.endTimeMs) &&
      Number(reward.totalRewards) > 0,
  );
  const first = running[0];
  if (first === undefined) return { apr: 0, coin: null };

  const coin = normalizeCoinType(first.coinType.name);
  let apr = 0;
  for (const reward of running) {
    const rewardReserve = byCoin.get(normalizeCoinType(reward.coinType.name));
    if (rewardReserve === undefined || sideUsd <= 0) return { apr: null, coin };

    const amount = shiftDecimal(reward.totalRewards, -rewardReserve.mintDecimals);
    const durationMs = Number(reward.endTimeMs) - Number(reward.startTimeMs);
    apr += (amount * priceOf(rewardReserve) * ((YEAR * 1000) / durationMs)) / sideUsd;
  }
  return { apr, coin };
}

/** The reserve has no symbol; the Move struct name is the label Suilend's own tools fall back to. */
function symbolOf(coinType: string): string {
  return coinType.slice(coinType.lastIndexOf('::') + 2);
}
