import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../src/domain/time.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { loadLatestStatistics } from '../../src/store/latest-statistics.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { buildFixture, t } from '../server/fixture.js';

async function insert(store: Store, positionId: string, stamp: string, pnl: number) {
  await store.db
    .insertInto('position_statistics')
    .values({
      position_id: positionId,
      timestamp: stamp,
      total_pnl: pnl,
      total_earnings: null,
      base_earnings: null,
      reward_earnings: null,
      total_fees: null,
      current_value: null,
      realized_apr: null,
      current_apr: null,
      live_pnl: null,
      realized_pnl: null,
      calculation_timestamp: null,
    })
    .execute();
}

describe.each(DIALECTS)('latest statistic at or before T on $name', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;

  beforeAll(async () => {
    const target = await targets.fresh();
    await buildFixture(target);
    store = await openStore(target);
    for (const [stamp, pnl] of [
      ['2026-03-01 10:00:00', 1],
      ['2026-03-01 11:00:00', 2],
      ['2026-03-01 12:00:01', 3],
    ] as const) {
      await insert(store, 'active-1', stamp, pnl);
    }
    await insert(store, 'rebal-3', '2026-03-01 12:00:00', 4);
    await insert(store, 'unknown-9', '2026-03-01 11:00:00', 5);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('finds one row per position: the latest at or before T, T included', async () => {
    const latest = await loadLatestStatistics(store, t('2026-03-01 12:00:00'));

    expect([...latest.keys()].sort()).toEqual(['active-1', 'rebal-3']);
    expect(formatTime(latest.get('active-1')!.timestamp)).toBe('2026-03-01 11:00:00');
    expect(latest.get('active-1')!.values.total_pnl).toBe(2);
    expect(formatTime(latest.get('rebal-3')!.timestamp)).toBe('2026-03-01 12:00:00');
  });

  it('finds nothing for a position whose rows all come after T', async () => {
    const latest = await loadLatestStatistics(store, t('2026-03-01 09:59:59'));
    expect(latest.size).toBe(0);
  });
});

describe.each(DIALECTS.filter((d) => d.name === 'sqlite'))(
  'stamps other programs wrote, on $name',
  (dialect) => {
    const targets = useDialect(dialect);

    it('never returns a row that lies after T behind an offset spelling', async () => {
      // A text stamp between '11:00:00' and '12:00:00' that means 13:30 UTC: SQLite's text
      // comparison picks it, and the reader must drop it rather than show a later figure.
      const target = await targets.fresh();
      await buildFixture(target);
      const store = await openStore(target);
      try {
        await insert(store, 'active-1', '2026-03-01 11:00:00', 1);
        await insert(store, 'active-1', '2026-03-01 11:30:00-02:00', 2);

        const latest = await loadLatestStatistics(store, t('2026-03-01 12:00:00'));
        expect(latest.has('active-1')).toBe(false);
      } finally {
        await store.close();
      }
    });
  },
);
