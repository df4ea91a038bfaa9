/**
 * Datum Labs daily rows -> rates_snapshot rows, compared with sample/rates_snapshot.csv, which
 * was produced from the merged Datum file (shared/data/sui-2026q2/README.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/domain/errors.js';
import { parseRatesCsv } from '../../src/io/rates-csv.js';
import {
  parseDatumlabCsv,
  parseDatumlabRiskParams,
  parseSymbolMapJson,
} from '../../src/io/rates-datumlab.js';
import type { RatesRow } from '../../src/pipeline/readers/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/real/datumlab/${name}`, import.meta.url), 'utf8');

const MERGED = 'markets_daily_merged_excerpt.csv';
const RISK = parseDatumlabRiskParams(fixture('risk_params_2026-06-13_excerpt.csv'), 'risk.csv');
const SAMPLE = parseRatesCsv(
  readFileSync(new URL('../../sample/rates_snapshot.csv', import.meta.url), 'utf8'),
  'rates_snapshot.csv',
).rows;

const keyOf = (row: RatesRow): string => `${row.timestamp}|${row.protocol}|${row.token_contract}`;
const SAMPLE_BY_KEY = new Map(SAMPLE.map((row) => [keyOf(row), row]));

/** The sample row for each converted row, restricted to the columns the import fills. */
function expectSameAsSample(rows: RatesRow[], columns: readonly string[]): void {
  for (const row of rows) {
    const sample = SAMPLE_BY_KEY.get(keyOf(row));
    expect(sample, keyOf(row)).toBeDefined();
    for (const column of columns) {
      const key = column as keyof RatesRow;
      expect(row[key], `${keyOf(row)} ${column}`).toBe(sample![key]);
    }
  }
}

const AUSD = '0x2053d08c1e2bd02791056171aab0fd12bd7cd7efad2ab8f6b9c8902f14df2ff2::ausd::AUSD';

describe('parseDatumlabCsv', () => {
  it('converts merged rows exactly as sample/rates_snapshot.csv has them', () => {
    const result = parseDatumlabCsv(fixture(MERGED), MERGED, { riskParams: RISK });

    expect(result.rows.map((row) => `${row.protocol} ${row.token}`)).toEqual([
      'Navi AUSD',
      'Scallop CETUS',
      'Scallop USDSUI',
      'Navi BUCK',
      'AlphaFi XAUM',
      'Suilend COIN',
    ]);
    expectSameAsSample(result.rows, result.columns);
    expect(result.unknownSymbols).toEqual([{ protocol: 'Navi', symbol: 'WBTC', rows: 1 }]);
  });

  it('divides percent by 100 and rounds rates to 6 and USD to 10 decimals (hand values)', () => {
    const [ausd, cetus, , buck, xaum, coin] = parseDatumlabCsv(fixture(MERGED), MERGED, {
      riskParams: RISK,
    }).rows;

    // 2026-05-01,navi,AUSD,0.3442,4.7584,10.3377,12262.13,1267.63,10994.51,0.999754
    expect(ausd).toEqual({
      timestamp: 1777593600, // 2026-05-01 00:00:00 UTC
      protocol: 'Navi',
      token: 'AUSD',
      token_contract: AUSD,
      lend_base_apr: 0.003442,
      lend_reward_apr: 0,
      lend_total_apr: 0.003442,
      borrow_base_apr: 0.047584,
      borrow_reward_apr: 0,
      borrow_total_apr: 0.047584,
      collateral_ratio: 0, // risk file: NAVI AUSD LTV 0
      liquidation_threshold: 0.85,
      price_usd: 0.999754,
      utilization: 0.103377,
      total_supply_usd: 12262.13,
      total_borrow_usd: 1267.63,
      available_borrow_usd: 10994.51,
      borrow_fee: null,
      borrow_weight: null,
      reward_token: null,
      reward_token_contract: null,
      reward_token_price_usd: null,
      market: null,
      side: null,
    });
    // 0.8057319108039529 % -> 0.008057; 99604.37283599195 USD -> 99604.3728359919 (the double
    // lies below the decimal midpoint, as Python's round saw it).
    expect(cetus!.lend_base_apr).toBe(0.008057);
    expect(cetus!.total_supply_usd).toBe(99604.3728359919);
    // 0.03025 % / 100 is the double just below 0.0003025 -> 0.000302.
    expect(buck!.lend_base_apr).toBe(0.000302);
    // risk file 0.9399999999999999 -> 0.94
    expect(xaum!.liquidation_threshold).toBe(0.94);
    // Suilend's `COIN` label is SOL.
    expect(coin!.token_contract).toBe(
      '0xb7844e289a8410e50fb3ca48d69eb9cf29e27d223ef90353fe1bd8e27ff8f3f8::coin::COIN',
    );
    expect(coin!.timestamp).toBe(1782777600); // 2026-06-30 00:00:00 UTC
  });

  it('reads the May sheet layout, skipping Bucket and listing it', () => {
    const file = 'markets_daily_2026-05_excerpt.csv';
    const result = parseDatumlabCsv(fixture(file), file);

    expect(result.rows.map((row) => `${row.protocol} ${row.token}`)).toEqual([
      'Navi AUSD',
      'Suilend SUI',
    ]);
    expect(result.unknownProtocols).toEqual([{ protocol: 'Bucket', rows: 1 }]);
    expect(result.columns).not.toContain('collateral_ratio');
    expectSameAsSample(result.rows, result.columns);
  });

  it('reads the June export layout', () => {
    const file = 'markets_daily_lending_only_2026-06_excerpt.csv';
    const result = parseDatumlabCsv(fixture(file), file);

    expect(result.rows).toHaveLength(2);
    expectSameAsSample(result.rows, result.columns);
  });

  it('takes a JSON symbol map that adds, replaces and removes labels', () => {
    const map = parseSymbolMapJson(
      JSON.stringify({
        navi: {
          WBTC: '0x0AAFB102dd0902f5055cadecd687fb5b71ca82ef0e0285d90afde828ec58ca96b::btc::BTC',
        },
        AlphaLend: { XAUM: null },
      }),
      'symbols.json',
    );
    const result = parseDatumlabCsv(fixture(MERGED), MERGED, { symbolMap: map });

    const wbtc = result.rows.find((row) => row.token === 'WBTC');
    expect(wbtc!.token_contract).toBe(
      '0xaafb102dd0902f5055cadecd687fb5b71ca82ef0e0285d90afde828ec58ca96b::btc::BTC',
    );
    expect(result.unknownSymbols).toEqual([{ protocol: 'AlphaFi', symbol: 'XAUM', rows: 1 }]);
  });

  it('reports a bad value with its line and column, and an unknown header', () => {
    const text = fixture(MERGED).replace('0.3442,4.7584', '0.3442,n/a');

    expect(() => parseDatumlabCsv(text, MERGED)).toThrow(InputError);
    expect(() => parseDatumlabCsv(text, MERGED)).toThrow(
      `${MERGED}, line 2, column borrow_apy_pct: 'n/a' is not a number`,
    );
    expect(() => parseDatumlabCsv('day,protocol,symbol\n', 'x.csv')).toThrow(
      "x.csv, line 1: no column 'date' in the header",
    );
    expect(() => parseSymbolMapJson('{"Bucket":{}}', 'm.json')).toThrow(
      'm.json, column Bucket: unknown protocol',
    );
  });

  const SHARED = new URL(
    '../../../shared/data/real/datumlab-state-of-lending/markets_daily_2026-05-01_to_2026-06-30_lending.csv',
    import.meta.url,
  );
  const SHARED_RISK = new URL(
    '../../../shared/data/real/datumlab-state-of-lending/may-2026/risk_params_2026-06-13.csv',
    import.meta.url,
  );

  it.runIf(existsSync(SHARED))(
    'reproduces all 3,396 sample rows from the whole merged file',
    () => {
      const risk = parseDatumlabRiskParams(readFileSync(SHARED_RISK, 'utf8'), 'risk.csv');
      const result = parseDatumlabCsv(readFileSync(SHARED, 'utf8'), 'merged.csv', {
        riskParams: risk,
      });

      expect(result.rows).toHaveLength(SAMPLE.length);
      expectSameAsSample(result.rows, result.columns);
      expect(result.unknownSymbols.reduce((sum, entry) => sum + entry.rows, 0)).toBe(592);
    },
  );
});
