import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTime } from '../../src/domain/time.js';
import type { Statistic } from '../../src/domain/types.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { loadStatisticKeys, loadStatistics, upsertStatistics } from '../../src/store/queries.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const T0 = parseTime('2026-03-01 00:00:00');

/** Doubles whose shortest text is long, tiny, huge or negative: they must come back bit for bit. */
const AWKWARD = [
  0.1 + 0.2,
  1 / 3,
  -2 / 3,
  5e-324,
  1.7976931348623157e308,
  -123456.78901234567,
  2 ** 53 + 2,
  -0.000001234567890123,
  1e21,
  Math.PI,
];

function statistic(positionId: string, timestamp: number, seed: number): Statistic {
  const value = (i: number): number => AWKWARD[(seed + i) % AWKWARD.length]!;
  return {
    positionId,
    timestamp,
    totalPnl: value(0),
    totalEarnings: value(1),
    baseEarnings: value(2),
    rewardEarnings: value(3),
    totalFees: value(4),
    currentValue: value(5),
    realizedApr: seed === 0 ? null : value(6),
    currentApr: seed === 1 ? null : value(7),
    livePnl: value(8),
    realizedPnl: value(9),
  };
}

function asStored(stat: Statistic): Record<string, number | null> {
  return {
    total_pnl: stat.totalPnl,
    total_earnings: stat.totalEarnings,
    base_earnings: stat.baseEarnings,
    reward_earnings: stat.rewardEarnings,
    total_fees: stat.totalFees,
    current_value: stat.currentValue,
    realized_apr: stat.realizedApr,
    current_apr: stat.currentApr,
    live_pnl: stat.livePnl,
    realized_pnl: stat.realizedPnl,
  };
}

describe.each(DIALECTS)('position_statistics on $name', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;

  beforeEach(async () => {
    store = await openStore(await targets.fresh(), { create: true });
    await migrate(store);
  });
  afterEach(async () => {
    await store?.close();
  });

  it('round-trips every double exactly and NULL where allowed', async () => {
    const rows = AWKWARD.map((_, seed) => statistic('p-1', T0 + seed * 3600, seed));
    expect(await upsertStatistics(store, rows, T0 + 99)).toBe(rows.length);

    const stored = await loadStatistics(store);
    expect(stored).toEqual(
      rows.map((row) => ({
        positionId: 'p-1',
        timestamp: row.timestamp,
        values: asStored(row),
        calculationTimestamp: T0 + 99,
      })),
    );
    for (const [i, row] of stored.entries()) {
      expect(Object.is(row.values.total_pnl, rows[i]!.totalPnl)).toBe(true);
    }
  });

  it('overwrites an existing (position, timestamp) instead of adding a row', async () => {
    await upsertStatistics(store, [statistic('p-1', T0, 2), statistic('p-1', T0 + 60, 3)], T0 + 1);
    const replacement = statistic('p-1', T0, 7);
    await upsertStatistics(store, [replacement], T0 + 500);

    const stored = await loadStatistics(store, { positionIds: ['p-1'] });
    expect(stored.map((row) => [row.timestamp, row.calculationTimestamp])).toEqual([
      [T0, T0 + 500],
      [T0 + 60, T0 + 1],
    ]);
    expect(stored[0]!.values).toEqual(asStored(replacement));
  });

  it('writes batches larger than the bind-parameter limit in one call', async () => {
    // 7000 rows x 13 columns = 91000 values, above PostgreSQL's 65535 parameters.
    const rows = Array.from({ length: 7000 }, (_, i) => statistic(`p-${i % 7}`, T0 + i * 60, i));
    expect(await upsertStatistics(store, rows, T0)).toBe(7000);

    const keys = await loadStatisticKeys(store);
    expect([...keys.keys()].sort()).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6']);
    expect(keys.get('p-3')).toEqual(
      rows.filter((row) => row.positionId === 'p-3').map((row) => row.timestamp),
    );
  });

  it('filters by positions and an inclusive time range', async () => {
    const rows = [0, 1, 2, 3].flatMap((h) => [
      statistic('a', T0 + h * 3600, h),
      statistic('b', T0 + h * 3600, h),
    ]);
    await upsertStatistics(store, rows, T0);

    const stored = await loadStatistics(store, {
      positionIds: ['b'],
      from: T0 + 3600,
      to: T0 + 2 * 3600,
    });
    expect(stored.map((row) => [row.positionId, row.timestamp])).toEqual([
      ['b', T0 + 3600],
      ['b', T0 + 2 * 3600],
    ]);
    expect(await loadStatisticKeys(store, [])).toEqual(new Map());
  });

  it('refuses a non-finite metric and writes nothing of the batch', async () => {
    const bad = { ...statistic('p-1', T0 + 60, 4), livePnl: Number.NaN };
    await expect(upsertStatistics(store, [statistic('p-1', T0, 4), bad], T0)).rejects.toThrow(
      'statistic of p-1 at 2026-03-01 00:01:00: live_pnl is NaN',
    );
    expect(await loadStatistics(store)).toEqual([]);
  });
});
