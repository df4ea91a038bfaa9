import { describe, expect, it } from 'vitest';
import { PositionCalculator } from '../../src/domain/statistic.js';
import { createApp } from '../../src/server/app.js';
import { upsertStatistics } from '../../src/store/queries.js';
import { expectAgrees } from '../helpers/approx.js';
import { DIALECTS } from '../helpers/dialects.js';
import { earned, FEE_RATE, t, useFixtureStore } from './fixture.js';
import { loadSeries, legMarkets } from '../../src/backfill/discovery.js';
import { loadPositions, loadRebalances } from '../../src/store/queries.js';

interface Detail {
  moment: string;
  statistic: Record<string, number | string | null>;
  legs: Record<string, unknown>[];
  segments: Record<string, unknown>[];
  history: { timestamp: string; gap_before: boolean; total_pnl: number | null }[];
}

const q = (text: string): string => encodeURIComponent(text);

describe.each(DIALECTS)('position detail on $name', (dialect) => {
  const fixture = useFixtureStore(dialect);
  const now = t('2026-03-05 00:00:00');
  const detail = async (id: string, at: string): Promise<Detail> => {
    const app = createApp(fixture.store(), { clock: () => now, webRoot: null });
    const response = await app.request(`/api/positions/${id}?at=${q(at)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Detail;
  };

  it('shows the segment open at T without the rebalance dated after T', async () => {
    const body = await detail('rebal-3', '2026-03-01 12:00:00');

    expect(body.segments).toEqual([
      {
        start: '2026-03-01 00:00:00',
        end: null,
        open: true,
        deployment_usd: 1000,
        l_a: 1.5,
        b_a: 0.9,
        l_b: 0.9,
        b_b: 0.5,
        realised_fees: null,
        from_rebalance_row: true,
      },
    ]);
    expect(body.legs.map((leg) => [leg['leg'], leg['action'], leg['token_amount']])).toEqual([
      ['1A', 'lend', 1500],
      ['2A', 'borrow', 900],
      ['2B', 'lend', 900],
      ['3B', 'borrow', 500],
    ]);
  });

  it('closes that segment once T passes the rebalance, with its realised fees', async () => {
    const body = await detail('rebal-3', '2026-03-02 06:00:00');

    expect(
      body.segments.map((s) => [s['start'], s['end'], s['deployment_usd'], s['realised_fees']]),
    ).toEqual([
      ['2026-03-01 00:00:00', '2026-03-02 00:00:00', 1000, 3.2],
      ['2026-03-02 00:00:00', null, 1500, null],
    ]);
    expect(body.legs.map((leg) => leg['token_amount'])).toEqual([2250, 1350, 1350, 750]);
    expectAgrees(body.statistic['realized_pnl'] as number, earned(1000, 24).total - 3.2);
    expectAgrees(body.statistic['live_pnl'] as number, earned(1500, 6).total);
  });

  it("gives each leg's rate and price in force at entry and at T", async () => {
    const body = await detail('active-1', '2026-03-01 12:00:00');
    const [lend, borrow] = body.legs;

    expect(lend!['at_entry']).toEqual({
      snapshot: '2026-03-01 00:00:00',
      base_apr: 0.06,
      reward_apr: 0.01,
      apr: 0.06 + 0.01,
      price_usd: 1,
    });
    expect((lend!['at_t'] as { snapshot: string }).snapshot).toBe('2026-03-01 12:00:00');
    expect(borrow!['at_t']).toMatchObject({ base_apr: 0.08, reward_apr: 0.02, apr: 0.08 - 0.02 });
  });

  it('gives the figures of a closed position at its close, and its last segment ending there', async () => {
    const body = await detail('closed-2', '2026-03-02 06:00:00');

    expect(body.moment).toBe('2026-03-02 00:00:00');
    expect(body.segments.map((s) => [s['start'], s['end']])).toEqual([
      ['2026-03-01 12:00:00', '2026-03-02 00:00:00'],
    ]);
    expectAgrees(body.statistic['total_pnl'] as number, earned(2000, 12).total - 2000 * FEE_RATE);
  });

  it('returns the stored history up to T, marking gaps longer than the grid spacing', async () => {
    const { positions } = await loadPositions(fixture.store());
    const position = positions.find((p) => p.positionId === 'active-1')!;
    const series = await loadSeries(fixture.store(), legMarkets([position]));
    const calculator = new PositionCalculator(
      position,
      (await loadRebalances(fixture.store())).get('active-1') ?? [],
      (key) => series.get(key),
    );
    const hours = ['00', '01', '02', '05', '06', '20'];
    const stats = hours.map((h) => calculator.at(t(`2026-03-01 ${h}:00:00`)).statistic);
    await upsertStatistics(fixture.store(), stats, now);

    const body = await detail('active-1', '2026-03-01 06:30:00');

    expect(body.history.map((p) => [p.timestamp.slice(11, 13), p.gap_before])).toEqual([
      ['00', false],
      ['01', false],
      ['02', false],
      ['05', true],
      ['06', false],
    ]);
    expect(body.history[3]!.total_pnl).toBe(stats[3]!.totalPnl);
  });

  it('answers 404 for an unknown position and 422 before its entry', async () => {
    const app = createApp(fixture.store(), { clock: () => now, webRoot: null });
    const unknown = await app.request(`/api/positions/nope?at=${q('2026-03-01 12:00:00')}`);
    expect(unknown.status).toBe(404);
    const early = await app.request(`/api/positions/late-4?at=${q('2026-03-01 12:00:00')}`);
    expect(early.status).toBe(422);
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('OUT_OF_RANGE');
  });

  it('exports one position statistics as CSV', async () => {
    const app = createApp(fixture.store(), { clock: () => now, webRoot: null });
    const response = await app.request(
      `/api/positions/active-1/statistics.csv?at=${q('2026-03-01 05:00:00')}`,
    );
    const lines = (await response.text()).trim().split('\n');

    expect(lines[0]).toBe(
      'position_id,timestamp,total_pnl,total_earnings,base_earnings,reward_earnings,total_fees,' +
        'current_value,realized_apr,current_apr,live_pnl,realized_pnl,calculation_timestamp',
    );
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([
      '2026-03-01 00:00:00',
      '2026-03-01 01:00:00',
      '2026-03-01 02:00:00',
      '2026-03-01 05:00:00',
    ]);
  });
});
