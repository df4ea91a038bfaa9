/**
 * `lendstats import-rates`: Datum Labs daily rows and the CSV form of SCHEMA.md, format told by
 * the header, one transaction, a bad row refused with its file, line and column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { readRatesFile, saveRates } from '../../src/io/import-rates.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const FIXTURES = new URL('../fixtures/real/datumlab/', import.meta.url).pathname;
const MERGED = join(FIXTURES, 'markets_daily_merged_excerpt.csv');
const RISK = join(FIXTURES, 'risk_params_2026-06-13_excerpt.csv');
const AUSD = '0x2053d08c1e2bd02791056171aab0fd12bd7cd7efad2ab8f6b9c8902f14df2ff2::ausd::AUSD';

async function withStore<T>(target: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(target);
  try {
    await migrate(store);
    return await work(store);
  } finally {
    await store.close();
  }
}

const rowCount = (target: string) =>
  withStore(target, async (store) => {
    const row = await store.db
      .selectFrom('rates_snapshot')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });

const ausdRow = (target: string) =>
  withStore(target, (store) =>
    store.db
      .selectFrom('rates_snapshot')
      .selectAll()
      .where('token_contract', '=', AUSD)
      .executeTakeFirstOrThrow(),
  );

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lendstats-rates-')), name);
  writeFileSync(path, text);
  return path;
}

describe.each(DIALECTS)('import-rates on $name', (dialect) => {
  const targets = useDialect(dialect);
  let target: string;

  beforeAll(async () => {
    target = await targets.fresh();
  });

  it('loads a Datum Labs excerpt with risk parameters, percent to decimal, unknown labels listed', async () => {
    const result = runCli([
      '--db',
      target,
      'import-rates',
      MERGED,
      '--risk-params',
      RISK,
      '--json',
    ]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      format: 'datumlab',
      rows: 6,
      inserted: 6,
      updated: 0,
      unchanged: 0,
      unknown_symbols: [{ protocol: 'Navi', symbol: 'WBTC', rows: 1 }],
      unknown_protocols: [],
    });
    // The same values as sample/rates_snapshot.csv's row (made from the same source line).
    expect(await ausdRow(target)).toMatchObject({
      timestamp: '2026-05-01 00:00:00',
      protocol: 'Navi',
      token: 'AUSD',
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
      borrow_fee: null,
    });
  });

  it('changes nothing when the same file is imported again', async () => {
    const rates = await readRatesFile(MERGED, { riskParams: RISK });

    const counts = await withStore(target, (store) => saveRates(store, rates));

    expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: 6, addedColumns: [] });
  });

  it('refuses a bad row with its file, line and column, and writes nothing', async () => {
    const lines = readFileSync(MERGED, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('0.8057319108039529', 'abc');
    const bad = writeTemp('bad.csv', lines.join('\n'));
    const before = await rowCount(target);

    const result = runCli(['--db', target, 'import-rates', bad]);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: ${bad}, line 4, column supply_apy_pct: 'abc' is not a number\n`,
    );
    expect(await rowCount(target)).toBe(before);
  });

  it('reads the CSV form of SCHEMA.md, writing only the columns the file has', async () => {
    const file = writeTemp(
      'rates.csv',
      'timestamp,protocol,token_contract,price_usd\n' +
        `2026-05-01T00:00:00Z,Navi,${AUSD},0.9991\n` +
        '2026-05-01 00:00:00,Navi,0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI,3.5\n',
    );

    const rates = await readRatesFile(file);
    const counts = await withStore(target, (store) => saveRates(store, rates));

    expect(rates.format).toBe('csv');
    expect(counts).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    expect(await ausdRow(target)).toMatchObject({ price_usd: 0.9991, lend_base_apr: 0.003442 });
    const sui = await withStore(target, (store) =>
      store.db
        .selectFrom('rates_snapshot')
        .selectAll()
        .where('token_contract', '=', '0x2::sui::SUI')
        .executeTakeFirstOrThrow(),
    );
    expect(sui).toMatchObject({ price_usd: 3.5, lend_base_apr: null });
  });

  it('says what it expected when the header is neither form', async () => {
    const file = writeTemp('other.csv', 'when,where\n1,2\n');

    const result = runCli(['--db', target, 'import-rates', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error: ${file}, line 1: cannot tell the format from the header`,
    );
  });
});
