import { describe, expect, it } from 'vitest';
import type { Statistic } from '../../src/domain/types.js';
import { YEAR } from '../../src/domain/time.js';
import { createApp } from '../../src/server/app.js';
import { openStore } from '../../src/store/connection.js';
import { upsertStatistics } from '../../src/store/queries.js';
import { expectAgrees } from '../helpers/approx.js';
import { DIALECTS } from '../helpers/dialects.js';
import { CURRENT_APR, earned, FEE_RATE, t, useFixtureStore } from './fixture.js';

interface Row {
  position_id: string;
  group: string;
  status: string;
  statistic: Record<string, number | string | boolean | null> | null;
  error: string | null;
}

interface List {
  at: string;
  totals: Record<string, number | null>;
  positions: Row[];
}

const q = (text: string): string => encodeURIComponent(text);

describe.each(DIALECTS)('positions at T on $name', (dialect) => {
  const fixture = useFixtureStore(dialect);
  let now = t('2026-03-05 00:00:00');
  const app = () => createApp(fixture.store(), { clock: () => now, webRoot: null });
  const list = async (at: string): Promise<List> => {
    const response = await app().request(`/api/positions?at=${q(at)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as List;
  };

  it('lists active positions then closed ones, computing every figure when none is stored', async () => {
    const body = await list('2026-03-01 12:00:00');

    expect(body.at).toBe('2026-03-01 12:00:00');
    expect(body.positions.map((p) => [p.position_id, p.group])).toEqual([
      ['active-1', 'active'],
      ['norate-5', 'active'],
      ['rebal-3', 'active'],
      ['closed-2', 'active'],
    ]);
    const active = body.positions[0]!.statistic!;
    const twelve = earned(1000, 12);
    expect(active['computed']).toBe(true);
    expect(active['computed_reason']).toBe('missing');
    expect(active['timestamp']).toBe('2026-03-01 12:00:00');
    expectAgrees(active['base_earnings'] as number, twelve.base, 'base');
    expectAgrees(active['reward_earnings'] as number, twelve.reward, 'reward');
    expectAgrees(active['total_fees'] as number, 1000 * FEE_RATE, 'fees');
    expectAgrees(active['total_pnl'] as number, twelve.total - 1000 * FEE_RATE, 'pnl');
    expectAgrees(
      active['realized_apr'] as number,
      ((twelve.total - 1000 * FEE_RATE) / 1000) * (YEAR / (12 * 3600)),
      'realized apr',
    );
    expectAgrees(active['current_apr'] as number, CURRENT_APR, 'current apr');
    expectAgrees(active['deployment_usd'] as number, 1000, 'deployment');
  });

  it('reports a statistic the engine cannot compute as an error, never as zeros', async () => {
    const body = await list('2026-03-01 12:00:00');
    const row = body.positions.find((p) => p.position_id === 'norate-5')!;

    expect(row.statistic).toBeNull();
    expect(row.error).toMatch(/no rate data for scallop 0x2::sui::SUI/);
  });

  it('shows a position closed by T under closed, with its final figures at the close', async () => {
    const body = await list('2026-03-02 06:00:00');
    const closed = body.positions.find((p) => p.position_id === 'closed-2')!;
    const final = earned(2000, 12);

    expect(closed.group).toBe('closed');
    expect(closed.status).toBe('closed');
    expect(closed.statistic!['timestamp']).toBe('2026-03-02 00:00:00');
    expectAgrees(closed.statistic!['realized_pnl'] as number, final.total - 2000 * FEE_RATE);
    expect(closed.statistic!['live_pnl']).toBe(0);
    expect(closed.statistic!['current_apr']).toBeNull();
    expect(body.positions.map((p) => p.position_id)).not.toContain('late-4');
    expect(body.positions.at(-1)!.position_id).toBe('closed-2');
  });

  it('adds the portfolio totals with capital-and-time weighted APRs', async () => {
    const body = await list('2026-03-02 06:00:00');
    const one = earned(1000, 30).total - 1000 * FEE_RATE;
    const rebalanced = earned(1000, 24).total - 3.2 + earned(1500, 6).total;
    const closed = earned(2000, 12).total - 2000 * FEE_RATE;
    const years = (hours: number): number => (hours * 3600) / YEAR;

    expect(body.totals['active_positions']).toBe(2);
    expect(body.totals['closed_positions']).toBe(1);
    expectAgrees(body.totals['deployed_usd']!, 1000 + 1500, 'deployed');
    expectAgrees(body.totals['total_pnl']!, one + rebalanced + closed, 'pnl');
    expectAgrees(
      body.totals['realized_apr']!,
      (one + rebalanced + closed) / (1000 * years(30) + 1500 * years(30) + 2000 * years(12)),
      'realized apr',
    );
    expectAgrees(body.totals['current_apr']!, CURRENT_APR, 'current apr');
    expectAgrees(body.totals['current_apr_coverage']!, 1);
  });

  it('uses a stored row no older than the grid spacing at its age, and says how old it is', async () => {
    await upsertStatistics(
      fixture.store(),
      [marker('active-1', t('2026-03-01 11:00:00'), 42)],
      now,
    );

    const within = (await list('2026-03-01 12:00:00')).positions[0]!.statistic!;
    expect(within['computed']).toBe(false);
    expect(within['total_pnl']).toBe(42);
    expect(within['timestamp']).toBe('2026-03-01 11:00:00');
    expect(within['age_seconds']).toBe(3600);
    expect(within['deployment_usd']).toBe(1000);

    // Four days old: the plan's grid is hourly, so a row 90 minutes back is too old.
    const stale = (await list('2026-03-01 12:30:00')).positions[0]!.statistic!;
    expect(stale['computed']).toBe(true);
    expect(stale['computed_reason']).toBe('stale');
    expect(stale['passed_over']).toBe('2026-03-01 11:00:00');

    // Forty days later the grid is 12-hourly: the same row covers 12:30.
    now = t('2026-04-10 00:00:00');
    const old = (await list('2026-03-01 12:30:00')).positions[0]!.statistic!;
    expect(old['computed']).toBe(false);
    expect(old['age_seconds']).toBe(5400);
    now = t('2026-03-05 00:00:00');
  });

  it('wants the stored row of a closed position at its close exactly', async () => {
    await upsertStatistics(fixture.store(), [marker('closed-2', t('2026-03-01 23:00:00'), 7)], now);
    const early = (await list('2026-03-02 06:00:00')).positions.at(-1)!.statistic!;
    expect(early['computed_reason']).toBe('not_final');

    await upsertStatistics(fixture.store(), [marker('closed-2', t('2026-03-02 00:00:00'), 8)], now);
    const final = (await list('2026-03-02 06:00:00')).positions.at(-1)!.statistic!;
    expect(final['computed']).toBe(false);
    expect(final['total_pnl']).toBe(8);
  });

  it('exports the positions at T as CSV with the same figures', async () => {
    const response = await app().request(`/api/positions.csv?at=${q('2026-03-01 12:00:00')}`);
    const lines = (await response.text()).trim().split('\n');

    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('positions_20260301_120000.csv');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['position_id', 'group', 'status']);
    expect(lines).toHaveLength(5);
    const first = Object.fromEntries(header.map((name, i) => [name, lines[1]!.split(',')[i]]));
    expect(first['position_id']).toBe('active-1');
    expect(first['statistic_timestamp']).toBe('2026-03-01 11:00:00');
    expect(Number(first['total_pnl'])).toBe(42);
  });

  it('sees a position another connection added after the positions were cached', async () => {
    const server = app();
    const before = (await (
      await server.request(`/api/positions?at=${q('2026-03-01 12:00:00')}`)
    ).json()) as List;
    const other = await openStore(fixture.target());
    try {
      const row = await other.db
        .selectFrom('positions')
        .selectAll()
        .where('position_id', '=', 'active-1')
        .executeTakeFirstOrThrow();
      await other.db
        .insertInto('positions')
        .values({ ...row, position_id: 'added-6' })
        .execute();
    } finally {
      await other.close();
    }

    const after = (await (
      await server.request(`/api/positions?at=${q('2026-03-01 12:00:00')}`)
    ).json()) as List;
    expect(after.positions.length).toBe(before.positions.length + 1);
    expect(after.positions.map((p) => p.position_id)).toContain('added-6');
  });

  it('rejects a malformed moment with a 400 that names it', async () => {
    const response = await app().request('/api/positions?at=yesterday');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_ARGUMENT');
    expect(body.error.message).toMatch(/^at: invalid time 'yesterday'/);
  });
});

/** A stored row with recognisable values (not the engine's: it proves the row was read). */
function marker(positionId: string, timestamp: number, pnl: number): Statistic {
  return {
    positionId,
    timestamp,
    totalPnl: pnl,
    totalEarnings: 1,
    baseEarnings: 1,
    rewardEarnings: 0,
    totalFees: 0,
    currentValue: 1000 + pnl,
    realizedApr: 0.01,
    currentApr: 0.02,
    livePnl: pnl,
    realizedPnl: 0,
  };
}
