/** rates_snapshot CSV (SCHEMA.md's CSV form) -> validated rows, errors with file, line, column. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { InputError } from '../../src/domain/errors.js';
import { parseRatesCsv } from '../../src/io/rates-csv.js';

const SAMPLE_TEXT = readFileSync(
  new URL('../../sample/rates_snapshot.csv', import.meta.url),
  'utf8',
);
const [HEADER, FIRST] = SAMPLE_TEXT.split('\n') as [string, string];

describe('parseRatesCsv', () => {
  it('reads a row of the sample with every column', () => {
    const result = parseRatesCsv(`${HEADER}\n${FIRST}\n`, 'rates_snapshot.csv');

    expect(result.columns).toHaveLength(24);
    expect(result.ignoredColumns).toEqual([]);
    expect(result.rows).toEqual([
      {
        timestamp: 1777593600,
        protocol: 'Navi',
        token: 'AUSD',
        token_contract:
          '0x2053d08c1e2bd02791056171aab0fd12bd7cd7efad2ab8f6b9c8902f14df2ff2::ausd::AUSD',
        lend_base_apr: 0.003442,
        lend_reward_apr: 0,
        lend_total_apr: 0.003442,
        borrow_base_apr: 0.047584,
        borrow_reward_apr: 0,
        borrow_total_apr: 0.047584,
        collateral_ratio: 0,
        liquidation_threshold: 0.85,
        price_usd: 0.999754,
        utilization: 0.103377,
        total_supply_usd: 12262.13,
        total_borrow_usd: 1267.63,
        available_borrow_usd: 10994.51,
        borrow_fee: 0.003,
        borrow_weight: 1,
        reward_token: null,
        reward_token_contract: null,
        reward_token_price_usd: null,
        market: null,
        side: null,
      },
    ]);
  });

  it('reads the whole sample', () => {
    expect(parseRatesCsv(SAMPLE_TEXT, 'rates_snapshot.csv').rows).toHaveLength(3396);
  });

  it('takes a subset of columns in any case, other time forms, and lists unknown columns', () => {
    const text = [
      'TimeStamp,Protocol,Token_Contract,LEND_BASE_APR,note',
      '2026-06-01T12:00:00.5Z,Suilend,0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI,0.0312,x',
      '"2026-06-01 13:00:00",Suilend,0x2::sui::SUI,,',
    ].join('\n');

    const result = parseRatesCsv(text, 'r.csv');

    expect(result.columns).toEqual(['timestamp', 'protocol', 'token_contract', 'lend_base_apr']);
    expect(result.ignoredColumns).toEqual(['note']);
    expect(
      result.rows.map((row) => [row.timestamp, row.token_contract, row.lend_base_apr]),
    ).toEqual([
      [1780315200, '0x2::sui::SUI', 0.0312],
      [1780318800, '0x2::sui::SUI', null],
    ]);
  });

  it('names file, line and column of a bad field', () => {
    const bad = FIRST.replace(',0.003442,', ',3.4%,');

    expect(() =>
      parseRatesCsv(`${HEADER}\n${FIRST.replace('Navi', 'Suilend')}\n${bad}`, 'r.csv'),
    ).toThrow(new InputError('r.csv', 3, 'lend_base_apr', "'3.4%' is not a number"));
    expect(() =>
      parseRatesCsv('timestamp,protocol,token_contract\n2026-13-01,Navi,0x2::sui::SUI', 'r.csv'),
    ).toThrow(/^r\.csv, line 2, column timestamp: invalid time '2026-13-01'/);
    expect(() =>
      parseRatesCsv('timestamp,protocol,token_contract\n2026-06-01,Navi,SUI', 'r.csv'),
    ).toThrow("r.csv, line 2, column token_contract: 'SUI' is not a coin type like 0x2::sui::SUI");
    expect(() => parseRatesCsv('timestamp,token_contract\n', 'r.csv')).toThrow(
      'r.csv, line 1, column protocol: is missing from the header; it is part of the key',
    );
  });

  it('refuses a key repeated in another spelling (same instant, same coin, protocol case)', () => {
    const text = [
      'timestamp,protocol,token_contract',
      '2026-06-01 00:00:00,Navi,0x2::sui::SUI',
      '2026-06-01T00:00:00Z,navi,0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI',
    ].join('\n');

    expect(() => parseRatesCsv(text, 'r.csv')).toThrow('r.csv, line 3: repeats the key of line 2');
  });
});
