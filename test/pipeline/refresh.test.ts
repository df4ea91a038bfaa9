/**
 * `lendstats refresh` end to end on recorded responses, spawned as a user runs it: the snapshot
 * rows, the token registry, the statistic of an open position, idempotence for the same --at,
 * and protocols that fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { formatTime, parseTime, YEAR } from '../../src/domain/time.js';
import { openPosition } from '../../src/pipeline/positions.js';
import { RATES_COLUMNS, type RatesRow } from '../../src/pipeline/readers/index.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { loadStatistics } from '../../src/store/queries.js';
import { expectAgrees } from '../helpers/approx.js';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { HASUI, recordedRows, responsesDir, SUI, WUSDC } from './recorded.js';

const T0 = parseTime('2026-01-22 00:00:00');
const T1 = T0 + 3600;
const T2 = T0 + 7200;

interface RefreshJson {
  at: string;
  protocols: { protocol: string; rows: number }[];
  missing: { protocol: string; reason: string }[];
  rates: { inserted: number; updated: number; unchanged: number };
  registry: { inserted: number; updated: number; unchanged: number };
  statistics: { positions: number; saved: number; failures: unknown[]; skipped: string | null };
}

async function withStore<T>(target: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(target);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function ratesAt(target: string, at: number): Promise<Record<string, unknown>[]> {
  return withStore(target, (store) =>
    store.db
      .selectFrom('rates_snapshot')
      .selectAll()
      .where('timestamp', '=', formatTime(at))
      .orderBy('protocol')
      .orderBy('token_contract')
      .execute(),
  );
}

function storedForm(row: RatesRow): Record<string, unknown> {
  return Object.fromEntries(
    RATES_COLUMNS.map((c) => [c, c === 'timestamp' ? formatTime(row.timestamp) : row[c]]),
  );
}

const byMarket = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  `${String(a['protocol'])}|${String(a['token_contract'])}` <
  `${String(b['protocol'])}|${String(b['token_contract'])}`
    ? -1
    : 1;

describe.each(DIALECTS)('refresh on $name', (dialect) => {
  const targets = useDialect(dialect);
  let target: string;
  const refresh = (at: number, dir: string) =>
    runCli(['--db', target, 'refresh', '--at', formatTime(at), '--responses', dir, '--json']);

  beforeAll(async () => {
    target = await targets.fresh();
  });

  it('saves every row exactly as the readers read it, and the token registry', async () => {
    const result = refresh(T0, responsesDir());

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as RefreshJson;
    expect(report.protocols).toEqual([
      { protocol: 'navi', rows: 2 },
      { protocol: 'suilend', rows: 2 },
      { protocol: 'scallop', rows: 1 },
      { protocol: 'alphafi', rows: 1 },
    ]);
    expect(report.missing).toEqual([]);
    expect(report.rates).toEqual({ inserted: 6, updated: 0, unchanged: 0 });
    expect(report.registry).toEqual({ inserted: 6, updated: 0, unchanged: 0 });
    expect(report.statistics.skipped).toBeNull();
    const stored = await ratesAt(target, T0);
    expect(stored).toEqual(recordedRows(T0).map(storedForm).sort(byMarket));
    // Anchors from the fixtures: NAVI's oracle price of SUI, Scallop's borrow fee.
    expect(stored.find((r) => r['protocol'] === 'Navi' && r['token'] === 'SUI')!['price_usd']).toBe(
      3.65822591,
    );
    expect(stored.find((r) => r['protocol'] === 'Scallop')!['borrow_fee']).toBe(
      0.0029999997932463884,
    );

    const registry = await withStore(target, (store) =>
      store.db.selectFrom('token_registry').selectAll().orderBy('token_contract').execute(),
    );
    const sui = registry.find((row) => row.token_contract === SUI)!;
    expect(sui).toMatchObject({
      symbol: 'SUI',
      seen_on_navi: 1,
      seen_on_alphafi: 1,
      seen_on_suilend: 1,
      seen_as_reserve: 1,
      seen_as_reward_lend: 0,
      seen_as_reward_borrow: 0,
      first_seen: '2026-01-22 00:00:00',
      last_seen: '2026-01-22 00:00:00',
    });
    expect(registry.find((row) => row.token_contract === WUSDC)).toMatchObject({
      symbol: 'COIN',
      seen_on_navi: 0,
      seen_on_suilend: 1,
      seen_as_reserve: 1,
    });
    expect(registry.map((row) => row.token_contract)).toContain(HASUI);
  });

  it('saves the statistic at T of a position opened before T, as the closed form gives it', async () => {
    await withStore(target, (store) =>
      openPosition(store, {
        positionId: 'p1',
        at: T0,
        protocolA: 'Navi',
        protocolB: 'Scallop',
        token1Contract: HASUI,
        token2Contract: SUI,
        token3Contract: SUI,
        deploymentUsd: 1000,
        sizing: { weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 } },
      }),
    );

    const result = refresh(T1, responsesDir());

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as RefreshJson;
    expect(report.statistics).toMatchObject({ positions: 1, saved: 1, failures: [] });
    const [stat] = await withStore(target, (store) => loadStatistics(store));
    expect(stat!.timestamp).toBe(T1);
    const rows = recordedRows(T1);
    const find = (protocol: string, coin: string) =>
      rows.find((r) => r.protocol === protocol && r.token_contract === coin)!;
    const l1 = find('Navi', HASUI);
    const b2a = find('Navi', SUI);
    const s = find('Scallop', SUI);
    // Amounts: weight * 1000 / entry price; 2B holds 2A's amount; every price constant.
    const a1 = 1500 / l1.price_usd!;
    const a2 = 900 / b2a.price_usd!;
    const a3 = 500 / s.price_usd!;
    const hour = 3600 / YEAR;
    const base =
      (a1 * l1.price_usd! * l1.lend_base_apr! +
        a2 * s.price_usd! * s.lend_base_apr! -
        a2 * b2a.price_usd! * b2a.borrow_base_apr! -
        a3 * s.price_usd! * s.borrow_base_apr!) *
      hour;
    const reward =
      (a1 * l1.price_usd! * l1.lend_reward_apr! + a2 * b2a.price_usd! * b2a.borrow_reward_apr!) *
      hour;
    // NAVI reports no borrow fee (0); Scallop's applies to leg 3B.
    const fees = 1000 * (0.5 * s.borrow_fee!);
    const pnl = base + reward - fees;
    const values = stat!.values;
    expectAgrees(values.base_earnings, base, 'base');
    expectAgrees(values.reward_earnings, reward, 'reward');
    expectAgrees(values.total_fees, fees, 'fees');
    expectAgrees(values.total_pnl, pnl, 'total_pnl');
    expectAgrees(values.live_pnl, pnl, 'live_pnl');
    expect(values.realized_pnl).toBe(0);
    expectAgrees(values.current_value, 1000 + pnl, 'current_value');
    expectAgrees(values.realized_apr, (pnl / 1000) * (YEAR / 3600), 'realized_apr');
    expectAgrees(
      values.current_apr,
      1.5 * l1.lend_total_apr! +
        0.9 * s.lend_base_apr! -
        0.9 * b2a.borrow_total_apr! -
        0.5 * s.borrow_base_apr! -
        0.5 * s.borrow_fee!,
      'current_apr',
    );
  });

  it('rewrites the same values when run again for the same --at', async () => {
    const before = await withStore(target, async (store) => ({
      rates: await ratesAt(target, T1),
      stats: (await loadStatistics(store)).map((s) => [s.positionId, s.timestamp, s.values]),
    }));

    const result = refresh(T1, responsesDir());

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as RefreshJson;
    expect(report.rates).toEqual({ inserted: 0, updated: 0, unchanged: 6 });
    expect(report.registry).toEqual({ inserted: 0, updated: 0, unchanged: 6 });
    expect(report.statistics.saved).toBe(1);
    expect(await ratesAt(target, T1)).toEqual(before.rates);
    const stats = await withStore(target, (store) => loadStatistics(store));
    expect(stats.map((s) => [s.positionId, s.timestamp, s.values])).toEqual(before.stats);
  });

  it('keeps the rows of the protocols that answered and names the one that did not', async () => {
    const result = refresh(T2, responsesDir(['scallop']));

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as RefreshJson;
    expect(report.missing.map((m) => m.protocol)).toEqual(['scallop']);
    expect(report.missing[0]!.reason).toMatch(
      /^Scallop response: no recorded response .*scallop\.json$/,
    );
    expect(result.stderr).toContain('warning: Scallop is missing: Scallop response: no recorded');
    const stored = await ratesAt(target, T2);
    expect(stored.map((r) => r['protocol'])).toEqual([
      'AlphaFi',
      'Navi',
      'Navi',
      'Suilend',
      'Suilend',
    ]);
    // Scallop's legs keep their 01:00 values (one hour old), so the statistic is still written.
    expect(report.statistics).toMatchObject({ positions: 1, saved: 1, failures: [] });
  });

  it('exits 1 and saves nothing when every protocol fails', async () => {
    const T3 = T0 + 3 * 3600;

    const result = refresh(T3, responsesDir(['navi', 'suilend', 'scallop', 'alphafi']));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: every protocol failed; nothing was saved');
    const report = JSON.parse(result.stdout) as RefreshJson;
    expect(report.protocols).toEqual([]);
    expect(report.statistics.saved).toBe(0);
    expect(report.statistics.skipped).toBe(
      'no rates_snapshot row at or after 2026-01-22 03:00:00: no statistic past the newest snapshot',
    );
    expect(await ratesAt(target, T3)).toEqual([]);
  });
});
