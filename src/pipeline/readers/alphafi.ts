/**
 * AlphaFi (AlphaLend) reader over the market objects of `@alphafi/alphalend-sdk`'s
 * `getAllMarkets()`, as an array. AlphaLend publishes no HTTP API for them: the SDK reads the
 * chain and needs Node >= 22.14, so lendstats (Node 20) cannot run it in-process. `fetchAlphafi`
 * therefore reads the array from a URL the operator provides (for example a small service that
 * runs the SDK, as the original bot did with a node script); without one it fails and the other
 * readers go on.
 *
 * Units (test/fixtures/real/alphafi_sdk_market_SUI_2026-01.json), all numbers sent as text:
 * - `supplyApr.interestApr`, `borrowApr.interestApr`, `*.rewards[].rewardApr`: percent
 *   ("3.1484050843574424211" -> 0.031484050843574424). Rewards of a side are summed.
 * - `supplyApr.stakingApr`: the liquid-staking yield of the token itself, in percent. It is not
 *   paid by the market, so it is left out of both base and reward.
 * - `ltv`, `liquidationThreshold`: percent ("85" -> 0.85).
 * - `utilizationRate`, `borrowFee`, `borrowWeight`: decimals, as is.
 * - `totalSupply`, `totalBorrow`, `availableLiquidity`, `allowedBorrowAmount`: token amounts;
 *   `price`: USD.
 */
import { z } from 'zod';

import { normalizeCoinType } from '../../domain/market.js';
import { shiftDecimal } from '../../domain/decimal-text.js';
import {
  decimalText,
  fetchJson,
  onePerCoinType,
  readResponse,
  ReaderError,
  type FetchLike,
} from './response.js';
import { borrowTotal, emptyRatesRow, lendTotal, PROTOCOLS, type RatesRow } from './types.js';

const PERCENT_PLACES = -2;

const rewardSchema = z.object({ coinType: z.string(), rewardApr: decimalText });

const marketSchema = z.object({
  marketId: z.string(),
  coinType: z.string(),
  price: decimalText,
  totalSupply: decimalText,
  totalBorrow: decimalText,
  utilizationRate: decimalText,
  supplyApr: z.object({ interestApr: decimalText, rewards: z.array(rewardSchema) }),
  borrowApr: z.object({ interestApr: decimalText, rewards: z.array(rewardSchema) }),
  ltv: decimalText,
  liquidationThreshold: decimalText,
  availableLiquidity: decimalText,
  allowedBorrowAmount: decimalText.optional(),
  borrowFee: decimalText,
  borrowWeight: decimalText,
});

const responseSchema = z.array(marketSchema);

type AlphafiMarket = z.infer<typeof marketSchema>;

export interface AlphafiOptions {
  /** Where the `getAllMarkets()` array is served; AlphaLend has no public endpoint of its own. */
  url?: string;
}

/** Parses an array of AlphaLend market objects into one row per coin type. */
export function parseAlphafi(response: unknown, at: number): RatesRow[] {
  const markets = readResponse('alphafi', responseSchema, response);

  const byCoin = new Map(markets.map((market) => [normalizeCoinType(market.coinType), market]));
  return onePerCoinType(markets.map((market) => toRow(market, byCoin, at)));
}

/** Reads the market array from `options.url` and parses it. */
export async function fetchAlphafi(
  at: number,
  fetchImpl: FetchLike = globalThis.fetch,
  options: AlphafiOptions = {},
): Promise<RatesRow[]> {
  if (options.url === undefined || options.url === '') {
    throw new ReaderError(
      'alphafi',
      null,
      'AlphaLend has no public HTTP API; give the URL of a service returning getAllMarkets()',
    );
  }
  return parseAlphafi(await fetchJson('alphafi', options.url, fetchImpl), at);
}

function percent(text: string): number {
  return shiftDecimal(text, PERCENT_PLACES);
}

function sumRewards(rewards: AlphafiMarket['supplyApr']['rewards']): number {
  return rewards.reduce((sum, reward) => sum + percent(reward.rewardApr), 0);
}

function toRow(market: AlphafiMarket, byCoin: Map<string, AlphafiMarket>, at: number): RatesRow {
  const row = emptyRatesRow(at, PROTOCOLS.alphafi, normalizeCoinType(market.coinType));
  const price = Number(market.price);
  const available =
    market.allowedBorrowAmount === undefined
      ? Number(market.availableLiquidity)
      : Math.min(Number(market.availableLiquidity), Number(market.allowedBorrowAmount));

  row.token = symbolOf(row.token_contract);
  row.lend_base_apr = percent(market.supplyApr.interestApr);
  row.lend_reward_apr = sumRewards(market.supplyApr.rewards);
  row.lend_total_apr = lendTotal(row.lend_base_apr, row.lend_reward_apr);
  row.borrow_base_apr = percent(market.borrowApr.interestApr);
  row.borrow_reward_apr = sumRewards(market.borrowApr.rewards);
  row.borrow_total_apr = borrowTotal(row.borrow_base_apr, row.borrow_reward_apr);
  row.collateral_ratio = percent(market.ltv);
  row.liquidation_threshold = percent(market.liquidationThreshold);
  row.price_usd = price;
  row.utilization = Number(market.utilizationRate);
  row.total_supply_usd = Number(market.totalSupply) * price;
  row.total_borrow_usd = Number(market.totalBorrow) * price;
  row.available_borrow_usd = Math.max(0, available) * price;
  row.borrow_fee = Number(market.borrowFee);
  row.borrow_weight = Number(market.borrowWeight);

  const reward = market.supplyApr.rewards[0] ?? market.borrowApr.rewards[0];
  if (reward !== undefined) {
    row.reward_token_contract = normalizeCoinType(reward.coinType);
    row.reward_token = symbolOf(row.reward_token_contract);
    const rewardMarket = byCoin.get(row.reward_token_contract);
    row.reward_token_price_usd = rewardMarket === undefined ? null : Number(rewardMarket.price);
  }
  return row;
}

/** The market object has no symbol; the Move struct name is the display label AlphaLend uses. */
function symbolOf(coinType: string): string {
  return coinType.slice(coinType.lastIndexOf('::') + 2);
}
