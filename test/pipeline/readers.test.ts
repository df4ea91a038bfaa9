/**
 * Protocol readers against real responses (test/fixtures/real/SOURCES.md). Expected values were
 * computed by hand from the files, in exact decimal arithmetic; the formula is beside each.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  parseAlphafi,
  parseNavi,
  parseScallop,
  ReaderError,
  type RatesRow,
} from '../../src/pipeline/readers/index.js';

/** A decimal written in full (more digits than a double keeps), read as the nearest double. */
function dec(text: string): number {
  return Number(text);
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), 'utf8'));
}

/** Text and NULL columns exactly; numbers to 1e-12 relative (products of two decimals). */
function expectRow(actual: RatesRow | undefined, expected: RatesRow): void {
  expect(actual).toBeDefined();
  for (const [column, want] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[column];
    if (typeof want === 'number' && typeof got === 'number') {
      expect(Math.abs(got - want), column).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    } else {
      expect(got, column).toBe(want);
    }
  }
}

const CERT = '0x549e8b69270defbfafd4f94e17ec44cdbdd99820b33bda2278dea3b9a32d3f55::cert::CERT';
const SUI = '0x2::sui::SUI';

describe('parseNavi', () => {
  it('reads the open API haSUI pool: rays, percent rewards, 1e9 amounts, the valid price', () => {
    const at = 1769507629;
    const rows = parseNavi({ data: [fixture('navi_open_api_pool_haSUI_2026-01-27.json')] }, at);

    expect(rows).toHaveLength(1);
    // currentSupplyRate 190449909037200366887624 / 1e27; boostedApr "1.9735" % -> 0.019735.
    expect(rows[0]!.lend_base_apr).toBe(dec('0.000190449909037200366887624'));
    expect(rows[0]!.lend_reward_apr).toBe(0.019735);
    expectRow(rows[0], {
      timestamp: at,
      protocol: 'Navi',
      token: 'haSUI',
      token_contract:
        '0xbde4ba4c2e274a60ce15c1cfff9e5c42e41654ac8b6d906a57efa4bd3c29f47d::hasui::HASUI',
      lend_base_apr: dec('0.000190449909037200366887624'),
      lend_reward_apr: 0.019735,
      lend_total_apr: 0.0199254499090372,
      borrow_base_apr: dec('0.006249550491485682586783888'),
      borrow_reward_apr: 0,
      borrow_total_apr: dec('0.006249550491485682586783888'),
      collateral_ratio: 0.7, // ltv 7e26 / 1e27
      liquidation_threshold: 0.75,
      // oracle.valid is false, so token.price.
      price_usd: 1.538,
      // borrowedAmount / totalSupplyAmount = 1348480362588270 / 28762452701711106
      utilization: dec('0.046883357847574926'),
      total_supply_usd: dec('44236652.255231681'), // 28762452.701711106 * 1.538
      total_borrow_usd: dec('2073962.79766075926'), // 1348480.36258827 * 1.538
      available_borrow_usd: dec('35527191.6192861696'), // 23099604.4338661701 * 1.538
      borrow_fee: null,
      borrow_weight: 1,
      reward_token: null,
      reward_token_contract: CERT,
      reward_token_price_usd: null,
      market: null,
      side: null,
    });
  });

  it('reads the SDK pool array, with 9-decimal amounts for an 8-decimal coin (xBTC)', () => {
    const at = 1753430822;
    const pools = [
      fixture('getPool_example_SUI_2025-07-25.json'),
      ...(fixture('getPools_example_xBTC_2025-07-25.json') as unknown[]),
    ];
    const [sui, xbtc] = parseNavi(pools, at);

    expect(sui!.borrow_base_apr).toBe(dec('0.080174690906201458142810077'));
    expect(sui!.borrow_reward_apr).toBe(0.066228);
    expectRow(sui, {
      timestamp: at,
      protocol: 'Navi',
      token: 'SUI',
      token_contract: SUI,
      lend_base_apr: dec('0.034282565663493028210648694'),
      lend_reward_apr: 0,
      lend_total_apr: dec('0.034282565663493028210648694'),
      borrow_base_apr: dec('0.080174690906201458142810077'),
      borrow_reward_apr: 0.066228,
      borrow_total_apr: dec('0.013946690906201458'), // 0.0801746909062 - 0.066228
      collateral_ratio: 0.75,
      liquidation_threshold: 0.8,
      price_usd: 3.65822591,
      utilization: 0.5344979438025618, // 20883415846590559 / 39071087342301702
      total_supply_usd: dec('142930864.047481125'), // 39071087.342301702 * 3.65822591
      total_borrow_usd: dec('76396252.939302168'), // 20883415.846590559 * 3.65822591
      available_borrow_usd: dec('37948438.298682732'), // 10373454.0272508026 * 3.65822591
      borrow_fee: null,
      borrow_weight: 1,
      reward_token: null,
      reward_token_contract: CERT,
      reward_token_price_usd: null,
      market: null,
      side: null,
    });
    expectRow(xbtc, {
      ...sui!,
      token: 'xBTC',
      token_contract:
        '0x876a4b7bce8aeaef60464c11f4026903e9afacab79b9b142686158aa86560b50::xbtc::XBTC',
      lend_base_apr: dec('0.000078340321505350785743471'),
      lend_reward_apr: 0.001665,
      lend_total_apr: dec('0.001743340321505350786'),
      borrow_base_apr: dec('0.004731062143063520987416247'),
      borrow_reward_apr: 0,
      borrow_total_apr: dec('0.004731062143063520987416247'),
      collateral_ratio: 0.6,
      liquidation_threshold: 0.65,
      price_usd: 115533.62559772,
      utilization: 0.023655313044934359, // 8565425673 / 362093101737
      total_supply_usd: dec('41833928.847599695'), // 362.093101737 xBTC * 115533.62559772
      total_borrow_usd: dec('989594.68278948086'),
      available_borrow_usd: 11560583.971490428,
    });
  });

  it('leaves out deprecated pools and markets other than main', () => {
    const pool = fixture('navi_open_api_pool_haSUI_2026-01-27.json') as Record<string, unknown>;
    const rows = parseNavi(
      {
        data: [
          { ...pool, status: 'deprecated' },
          { ...pool, market: 'isolated-1' },
        ],
      },
      0,
    );
    expect(rows).toEqual([]);
  });

  it('names the protocol and the field path when the shape does not match', () => {
    const pool = fixture('navi_open_api_pool_haSUI_2026-01-27.json') as Record<string, unknown>;
    delete pool.currentSupplyRate;

    expect(() => parseNavi({ data: [pool] }, 0)).toThrow(ReaderError);
    expect(() => parseNavi({ data: [pool] }, 0)).toThrow(
      /^Navi response at data\[0\]\.currentSupplyRate: /,
    );
  });
});

describe('parseScallop', () => {
  it('reads a market pool: decimals as sent, borrow fee, no rewards in the market response', () => {
    const at = 1769005507;
    const rows = parseScallop(
      { pools: [fixture('scallop_sdk_market_pool_SUI_2026-01-21.json')], collaterals: [] },
      at,
    );

    expect(rows).toHaveLength(1);
    expectRow(rows[0], {
      timestamp: at,
      protocol: 'Scallop',
      token: 'SUI',
      token_contract: SUI,
      lend_base_apr: 0.03448648490846885,
      lend_reward_apr: null,
      lend_total_apr: null,
      borrow_base_apr: 0.08261298739872873,
      borrow_reward_apr: null,
      borrow_total_apr: null,
      collateral_ratio: null,
      liquidation_threshold: null,
      price_usd: 1.50204657,
      utilization: 0.5218078596409672,
      total_supply_usd: 9771309.51576346, // supplyCoin 6505330.600877082 * 1.50204657
      total_borrow_usd: 5098746.104309947, // borrowCoin 3394532.6371005573 * 1.50204657
      available_borrow_usd: 4672563.411453513, // (supplyCoin - borrowCoin) * 1.50204657
      borrow_fee: 0.0029999997932463884,
      borrow_weight: 1,
      reward_token: null,
      reward_token_contract: null,
      reward_token_price_usd: null,
      market: null,
      side: null,
    });
  });

  it('accepts the SDK form keyed by coin name and joins LTVs from the collateral list', () => {
    const pool = fixture('scallop_sdk_market_pool_SUI_2026-01-21.json') as { coinType: string };
    const collateral = { coinType: pool.coinType, collateralFactor: 0.85, liquidationFactor: 0.9 };
    const [row] = parseScallop({ pools: { sui: pool }, collaterals: { sui: collateral } }, 0);

    expect(row!.collateral_ratio).toBe(0.85);
    expect(row!.liquidation_threshold).toBe(0.9);
  });
});

describe('parseAlphafi', () => {
  it('reads a getAllMarkets() object: percent text to decimals, rewards summed per side', () => {
    const at = 1769990400;
    const rows = parseAlphafi([fixture('alphafi_sdk_market_SUI_2026-01.json')], at);

    // interestApr "3.1484050843574424211" % and rewardApr "0.66255763729692384292" %.
    expect(rows[0]!.lend_base_apr).toBe(dec('0.031484050843574424211'));
    expect(rows[0]!.lend_reward_apr).toBe(dec('0.0066255763729692384292'));
    expectRow(rows[0], {
      timestamp: at,
      protocol: 'AlphaFi',
      token: 'SUI',
      token_contract: SUI,
      lend_base_apr: dec('0.031484050843574424211'),
      lend_reward_apr: dec('0.0066255763729692384292'),
      lend_total_apr: dec('0.03810962721654366264'),
      borrow_base_apr: dec('0.065736902207688158328'),
      borrow_reward_apr: dec('0.043973825133202054189'),
      borrow_total_apr: dec('0.021763077074486104139'),
      collateral_ratio: 0.85, // ltv "85" %
      liquidation_threshold: 0.9, // "90" %
      price_usd: 1.43987501,
      utilization: dec('0.56345916178018421424'),
      total_supply_usd: 30378489.41958463, // 21098004.485531442 * 1.43987501
      total_borrow_usd: 17117038.18450735, // 11887863.922652113 * 1.43987501
      // min(availableLiquidity, allowedBorrowAmount 4990539.6657730406) * price
      available_borrow_usd: 7185753.351160353,
      borrow_fee: 0,
      borrow_weight: 1,
      reward_token: 'STSUI',
      reward_token_contract:
        '0xd1b72982e40348d069bb1ff701e634c117bb5f741f44dff91e472d3b01461e55::stsui::STSUI',
      reward_token_price_usd: null,
      market: null,
      side: null,
    });
  });

  it('names the field when a rate is not decimal text', () => {
    const market = fixture('alphafi_sdk_market_SUI_2026-01.json') as Record<string, unknown>;
    const broken = { ...market, supplyApr: { interestApr: 3.14, rewards: [] } };

    expect(() => parseAlphafi([broken], 0)).toThrow(
      /^AlphaFi response at \[0\]\.supplyApr\.interestApr: /,
    );
  });
});
