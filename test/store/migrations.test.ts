import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/domain/time.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { listColumns, listIndexes } from '../../src/store/introspect.js';
import { migrate } from '../../src/store/migrations.js';
import {
  loadPositions,
  loadRebalances,
  loadStatisticKeys,
  loadStatistics,
  upsertStatistics,
} from '../../src/store/queries.js';
import { TABLES, TABLE_NAMES } from '../../src/store/tables.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import {
  buildLegacyDatabase,
  LEGACY_MISSING_COLUMNS,
  LEGACY_POSITION_ID,
} from '../helpers/legacy-db.js';

const BOOKKEEPING = [
  'lendstats_meta',
  'lendstats_runs',
  'lendstats_run_failures',
  'lendstats_lock',
];

async function withStore<T>(target: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(target, { create: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe.each(DIALECTS)('migrations on $name', (dialect) => {
  const targets = useDialect(dialect);

  it('creates the six tables and the bookkeeping on an empty database, then does nothing', async () => {
    const target = await targets.fresh();
    await withStore(target, async (store) => {
      const first = await migrate(store);
      expect(first.createdTables).toEqual([...TABLE_NAMES, ...BOOKKEEPING]);
      expect(first.previousVersion).toBeNull();

      const second = await migrate(store);
      expect(second).toEqual({
        createdTables: [],
        addedColumns: [],
        createdIndexes: [],
        widenedColumns: [],
        previousVersion: '1',
      });

      for (const table of TABLE_NAMES) {
        const columns = await listColumns(store.db, store.dialect, table);
        const wanted = TABLES[table].columns.filter((column) => !column.optional);
        expect([...columns.keys()]).toEqual(wanted.map((column) => column.name));
      }
      const indexes = await listIndexes(store.db, store.dialect, 'position_statistics');
      const shapes = indexes.map((index) => index.columns.join(',')).sort();
      expect(shapes).toEqual(['calculation_timestamp', 'position_id,timestamp', 'timestamp']);
    });
  });

  it('opens a legacy layout, adds only what is missing, and reads it', async () => {
    const target = await targets.fresh();
    await buildLegacyDatabase(target);

    await withStore(target, async (store) => {
      const report = await migrate(store);
      expect(report.createdTables).toEqual(['reward_token_prices', ...BOOKKEEPING]);
      expect(report.addedColumns).toEqual(LEGACY_MISSING_COLUMNS);
      // The legacy primary key serves the upsert; only the plain indexes are new.
      expect(report.createdIndexes).toEqual([
        'position_statistics_timestamp_idx',
        'position_statistics_calculation_timestamp_idx',
        'rates_snapshot_protocol_token_contract_timestamp_idx',
        'lendstats_run_failures_run_id_idx',
      ]);
      const widened = dialect.name === 'postgres' ? TABLES.position_statistics.columns : [];
      expect(report.widenedColumns).toEqual(
        widened
          .filter((column) => column.kind === 'real')
          .map((column) => `position_statistics.${column.name}`),
      );
      // The declared names stay as they were.
      const columns = await listColumns(store.db, store.dialect, 'positions');
      expect(columns.get('l_a')?.name).toBe(dialect.name === 'sqlite' ? 'L_A' : 'l_a');

      const { positions, invalid } = await loadPositions(store);
      expect(invalid).toEqual([]);
      expect(positions).toEqual([
        {
          positionId: LEGACY_POSITION_ID,
          status: 'closed',
          token1: 'USDC',
          token2: 'SUI',
          token3: 'USDC',
          token1Contract: '0xa::usdc::USDC',
          token2Contract: '0x2::sui::SUI',
          token3Contract: '0xa::usdc::USDC',
          protocolA: 'Navi',
          protocolB: 'Suilend',
          entryTimestamp: parseTime('2026-01-02 03:04:05'),
          deploymentUsd: 1000,
          weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 },
          entryPrices: { '1a': 1, '2a': 3.25, '2b': 3.25, '3b': 1 },
          entryBorrowFee2a: 0.003,
          entryBorrowFee3b: 0.001,
          entryNetApr: 0.125,
          closeTimestamp: parseTime('2026-01-09 00:00:00'),
        },
      ]);

      const rebalances = await loadRebalances(store);
      expect(rebalances.invalid).toEqual([]);
      expect(rebalances.get(LEGACY_POSITION_ID)).toEqual([
        {
          rebalanceId: 'r-1',
          positionId: LEGACY_POSITION_ID,
          sequenceNumber: 1,
          openingTimestamp: parseTime('2026-01-02 03:04:05'),
          closingTimestamp: parseTime('2026-01-05 00:00:00'),
          deploymentUsd: 1000,
          weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 },
          openingPrices: { '1a': 1, '2a': 3.25, '2b': 3.25, '3b': 1 },
          entryTokenAmounts: { '1a': null, '2a': null, '2b': 276.923077, '3b': null },
          realisedFees: 3.4,
        },
      ]);

      const keys = await loadStatisticKeys(store);
      expect(keys).toEqual(
        new Map([
          [
            LEGACY_POSITION_ID,
            [parseTime('2026-01-02 12:00:00'), parseTime('2026-01-03 00:00:00')],
          ],
        ]),
      );
      const stored = await loadStatistics(store, { from: parseTime('2026-01-03 00:00:00') });
      expect(stored.map((row) => [row.timestamp, row.values.realized_apr])).toEqual([
        [parseTime('2026-01-03 00:00:00'), 0.021],
      ]);
      expect(stored[0]!.calculationTimestamp).toBe(parseTime('2026-01-03 00:01:00'));

      expect((await migrate(store)).addedColumns).toEqual([]);
    });
  });

  it('stores a realized_apr beyond DECIMAL(10,6) after widening the legacy columns', async () => {
    const target = await targets.fresh();
    await buildLegacyDatabase(target);

    await withStore(target, async (store) => {
      await migrate(store);
      const at = parseTime('2026-01-02 03:04:06');
      const stat = {
        positionId: LEGACY_POSITION_ID,
        timestamp: at,
        totalPnl: -0.0027397260273972603,
        totalEarnings: 1 / 3,
        baseEarnings: 0.1 + 0.2,
        rewardEarnings: 1e-12,
        totalFees: 3.4,
        currentValue: 999.9972602739726,
        realizedApr: -86400.00000000001,
        currentApr: 0.05000000000000001,
        livePnl: -0.0027397260273972603,
        realizedPnl: 0,
      };
      await upsertStatistics(store, [stat], at);
      const [row] = await loadStatistics(store, { from: at, to: at });
      expect(row!.values.realized_apr).toBe(-86400.00000000001);
      expect(row!.values.base_earnings).toBe(0.1 + 0.2);
      expect(row!.values.total_earnings).toBe(1 / 3);
    });
  });
});
