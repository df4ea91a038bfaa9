/**
 * A small hand-built portfolio for the API tests, with constant rates and prices of 1 so that
 * every figure has a closed form:
 *   base per hour and USD deployed   = (1.5*0.06 + 0.9*0.12 - 0.9*0.08 - 0.5*0.04) / 8760
 *   reward per hour and USD deployed = (1.5*0.01 + 0.9*0.02) / 8760
 *   entry fees per USD deployed      = 0.9*0.003 + 0.5*0.001
 *   current APR                      = 1.5*0.07 + 0.9*0.12 - 0.9*0.06 - 0.5*0.04 - 0.0032
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parseTime } from '../../src/domain/time.js';
import { afterAll, beforeAll } from 'vitest';
import { importFolder } from '../../src/io/import.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { useDialect, type TestDialect } from '../helpers/dialects.js';

export const USDC =
  '0xdba34672e30cb065b1f93e3ab55318768fd6fef66c15942c9f7cb846e2f900e7::usdc::USDC';
export const SUI = '0x2::sui::SUI';

export const BASE_RATE = 1.5 * 0.06 + 0.9 * 0.12 - 0.9 * 0.08 - 0.5 * 0.04;
export const REWARD_RATE = 1.5 * 0.01 + 0.9 * 0.02;
export const FEE_RATE = 0.9 * 0.003 + 0.5 * 0.001;
export const CURRENT_APR = 1.5 * 0.07 + 0.9 * 0.12 - 0.9 * 0.06 - 0.5 * 0.04 - FEE_RATE;
export const HOURS_PER_YEAR = 8760;

export const t = (text: string): number => parseTime(text);

/** Closed form of one segment's base, reward and their sum after `hours` at `deployment`. */
export function earned(deployment: number, hours: number) {
  const base = (deployment * BASE_RATE * hours) / HOURS_PER_YEAR;
  const reward = (deployment * REWARD_RATE * hours) / HOURS_PER_YEAR;
  return { base, reward, total: base + reward };
}

/**
 * - `active-1`: entered 03-01 00:00, 1000 USD, never rebalanced.
 * - `closed-2`: entered 03-01 12:00, 2000 USD, closed 03-02 00:00.
 * - `rebal-3`: entered 03-01 00:00 with 1000 USD; a rebalance closed that segment at 03-02 00:00
 *   (realised fees 3.2) and the positions row now holds 1500 USD.
 * - `late-4`: entered 03-02 12:00.
 * - `norate-5`: its protocol B has no rates at all.
 * Hourly snapshots run from 03-01 00:00 to 03-03 00:00.
 */
export async function buildFixture(target: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lendstats-dashboard-'));
  const rates = [];
  for (let s = t('2026-03-01 00:00:00'); s <= t('2026-03-03 00:00:00'); s += 3600) {
    const time = new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
    rates.push(
      rate(time, 'navi', USDC, 0.06, 0.01, 0.05, 0, 0.003),
      rate(time, 'navi', SUI, 0.03, 0, 0.08, 0.02, 0.003),
      rate(time, 'suilend', SUI, 0.12, 0, 0.1, 0, 0.001),
      rate(time, 'suilend', USDC, 0.03, 0, 0.04, 0, 0.001),
    );
  }
  write(dir, 'rates_snapshot', rates);
  write(dir, 'positions', [
    position('active-1', '2026-03-01 00:00:00', 1000),
    position('closed-2', '2026-03-01 12:00:00', 2000, {
      status: 'closed',
      close_timestamp: '2026-03-02 00:00:00',
    }),
    position('rebal-3', '2026-03-01 00:00:00', 1500),
    position('late-4', '2026-03-02 12:00:00', 1000),
    position('norate-5', '2026-03-01 00:00:00', 1000, { protocol_b: 'scallop' }),
  ]);
  write(dir, 'position_rebalances', [
    {
      rebalance_id: 'r-3-1',
      position_id: 'rebal-3',
      sequence_number: 1,
      opening_timestamp: '2026-03-01 00:00:00',
      closing_timestamp: '2026-03-02 00:00:00',
      deployment_usd: 1000,
      ...WEIGHTS,
      opening_price_1a: 1,
      opening_price_2a: 1,
      opening_price_2b: 1,
      opening_price_3b: 1,
      realised_fees: 3.2,
    },
  ]);
  await importFolder(dir, target);
}

const WEIGHTS = { l_a: 1.5, b_a: 0.9, l_b: 0.9, b_b: 0.5 };

function position(
  id: string,
  entry: string,
  deployment: number,
  overrides: Record<string, string | number> = {},
) {
  return {
    position_id: id,
    status: 'active',
    token1: 'USDC',
    token2: 'SUI',
    token3: 'USDC',
    token1_contract: USDC,
    token2_contract: SUI,
    token3_contract: USDC,
    protocol_a: 'navi',
    protocol_b: 'suilend',
    entry_timestamp: entry,
    deployment_usd: deployment,
    ...WEIGHTS,
    entry_price_1a: 1,
    entry_price_2a: 1,
    entry_price_2b: 1,
    entry_price_3b: 1,
    entry_borrow_fee_2a: 0.003,
    entry_borrow_fee_3b: 0.001,
    entry_net_apr: 0.1,
    close_timestamp: '',
    ...overrides,
  };
}

function rate(
  time: string,
  protocol: string,
  contract: string,
  lendBase: number,
  lendReward: number,
  borrowBase: number,
  borrowReward: number,
  borrowFee: number,
) {
  return {
    timestamp: time,
    protocol,
    token_contract: contract,
    lend_base_apr: lendBase,
    lend_reward_apr: lendReward,
    borrow_base_apr: borrowBase,
    borrow_reward_apr: borrowReward,
    price_usd: 1,
    borrow_fee: borrowFee,
  };
}

function write(dir: string, table: string, rows: Record<string, string | number>[]): void {
  writeFileSync(join(dir, `${table}.csv`), stringify(rows, { header: true }));
}

/** Registers hooks that build the fixture in a fresh database of the dialect and open it. */
export function useFixtureStore(dialect: TestDialect): {
  store: () => Store;
  target: () => string;
} {
  const targets = useDialect(dialect);
  let store: Store | undefined;
  let target = '';
  beforeAll(async () => {
    target = await targets.fresh();
    await buildFixture(target);
    store = await openStore(target);
  });
  afterAll(async () => {
    await store?.close();
  });
  return { store: () => store!, target: () => target };
}
