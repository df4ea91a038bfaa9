/**
 * Suilend reader against two real reserves of the main market on 2026-01-21
 * (test/fixtures/real/SOURCES.md). Expected values computed by hand in exact decimals.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { parseSuilend, type RatesRow } from '../../src/pipeline/readers/index.js';

const FIXTURE = 'suilend_sdk_reserves_SUI_wUSDC_2026-01-21.json';
const SPRING_SUI =
  '0x83556891f4a0f233ce7b05cfe7f957d4020492a34f5405b2cb9377d060bef4bf::spring_sui::SPRING_SUI';

/** A decimal written in full (more digits than a double keeps), read as the nearest double. */
function dec(text: string): number {
  return Number(text);
}

function market(): { reserves: unknown[] } {
  const text = readFileSync(new URL(`../fixtures/real/${FIXTURE}`, import.meta.url), 'utf8');
  return JSON.parse(text) as { reserves: unknown[] };
}

function expectClose(row: RatesRow | undefined, expected: Partial<RatesRow>): void {
  for (const [column, want] of Object.entries(expected)) {
    const got = (row as Record<string, unknown>)[column];
    if (typeof want === 'number' && typeof got === 'number' && want !== 0) {
      expect(Math.abs(got - want) / Math.abs(want), column).toBeLessThanOrEqual(1e-12);
    } else {
      expect(got, column).toBe(want);
    }
  }
}

/** The JSON-RPC form of an SDK object: `{ type, fields }` wrappers and snake_case names. */
function toMoveJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMoveJson);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, inner]) => [
    key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
    toMoveJson(inner),
  ]);
  return { type: '0xf95b::reserve::Something', fields: Object.fromEntries(entries) };
}

describe('parseSuilend', () => {
  const at = 1769037460; // the SUI reserve's interestLastUpdateTimestampS

  it('derives APRs from the reserve curve and wad amounts (SUI)', () => {
    const [sui] = parseSuilend(market(), at);

    expectClose(sui, {
      timestamp: at,
      protocol: 'Suilend',
      token: 'SUI',
      token_contract: '0x2::sui::SUI',
      // borrowed 41132818.184304523750 SUI (value / 1e18 / 1e9), available 26471537.382061453
      utilization: dec('0.60843443946337419'), // borrowed / (available + borrowed)
      // curve 0 % -> 400 bps, 75 % -> 600 bps: 4 % + 60.8434/75 * 2 %
      borrow_base_apr: dec('0.056224918385689978'),
      lend_base_apr: 0.027367341361496995, // 0.0562249 * 0.608434 * (1 - 2000 bps)
      // every deposit reward has ended by then
      lend_reward_apr: 0,
      lend_total_apr: 0.027367341361496995,
      // the running sSUI borrow reward has no reserve in this response to price it
      borrow_reward_apr: null,
      borrow_total_apr: null,
      collateral_ratio: 0.7, // openLtvPct 70
      liquidation_threshold: 0.75, // closeLtvPct 75
      price_usd: 1.52393063, // 1523930630000000000 / 1e18
      // (available + borrowed - unclaimed spread fees 90657.247439 SUI) * price
      total_supply_usd: dec('102886192.81279167'),
      total_borrow_usd: dec('62683561.529282649'),
      // min(available, borrowLimit 80000000 - borrowed, 190e6 USD / price - borrowed) * price
      available_borrow_usd: dec('40340786.639713461'),
      borrow_fee: 0,
      borrow_weight: 1, // 10000 bps
      reward_token: 'SPRING_SUI',
      reward_token_contract: SPRING_SUI,
      reward_token_price_usd: null,
    });
  });

  it('reads a 6-decimal reserve with borrow limit 0 as not borrowable (wUSDC)', () => {
    const [, wusdc] = parseSuilend(market(), at);

    expectClose(wusdc, {
      token: 'COIN',
      token_contract:
        '0x5d4b302506645c37ff133b98c4b50a5ae14841659738d6d733d59d0d217a93bf::coin::COIN',
      utilization: dec('0.37357135038000768'), // 45639.843619 / (76531.847472 + 45639.843619)
      borrow_base_apr: dec('0.089885708030400614'), // 6 % + 37.357/50 * 4 %
      lend_base_apr: dec('0.0033578725328779858'), // * utilization * (1 - 9000 bps)
      lend_reward_apr: 0,
      borrow_reward_apr: 0,
      borrow_total_apr: dec('0.089885708030400614'),
      collateral_ratio: 0.77,
      liquidation_threshold: 0.8,
      price_usd: 0.99971988,
      total_supply_usd: 121550.43524222808,
      total_borrow_usd: 45627.05898612358,
      available_borrow_usd: 0,
      reward_token_contract: null,
    });
  });

  it('prices a running reward whose coin is a reserve of the same market', () => {
    // At 2024-06-21 the SUI deposit reward of 114841 SUI over 14 days runs (2024-06-18 to 07-02).
    const [sui] = parseSuilend(market(), 1719000000);

    expectClose(sui, {
      // 114841 * 365 / 14 SUI a year over 67512698.154 SUI supplied (the price cancels)
      lend_reward_apr: dec('0.044347576908434332'),
      lend_total_apr: dec('0.071714918269931327'),
      borrow_reward_apr: 0,
      reward_token: 'SUI',
      reward_token_contract: '0x2::sui::SUI',
      reward_token_price_usd: 1.52393063,
    });
  });

  it('reads the JSON-RPC sui_getObject form the same as the SDK form', () => {
    const rpc = {
      jsonrpc: '2.0',
      id: 1,
      result: {
        data: { content: { dataType: 'moveObject', ...(toMoveJson(market()) as object) } },
      },
    };

    expect(parseSuilend(rpc, at)).toEqual(parseSuilend(market(), at));
  });

  it('reports a JSON-RPC error and a bad reserve field by name', () => {
    expect(() => parseSuilend({ jsonrpc: '2.0', error: { code: -32602 } }, at)).toThrow(
      /^Suilend response at error: JSON-RPC error/,
    );

    const reserves = market().reserves as Record<string, unknown>[];
    const broken = { reserves: [{ ...reserves[0], price: { value: 'n/a' } }] };
    expect(() => parseSuilend(broken, at)).toThrow(
      /^Suilend response at reserves\[0\]\.price\.value: /,
    );
  });
});
