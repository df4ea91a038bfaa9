// Timestamps are UTC whatever the process's zone: this whole file runs under New York time.
process.env.TZ = 'America/New_York';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { formatTime } from '../../src/domain/time.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import {
  loadPositions,
  loadRateRows,
  loadStatisticKeys,
  loadStatistics,
  newestSnapshot,
  snapshotTimes,
  upsertStatistics,
} from '../../src/store/queries.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { importFolder } from '../../src/io/import.js';

const SAMPLE = new URL('../../sample/', import.meta.url).pathname;
const utc = (...parts: [number, number, number, number?, number?, number?]): number =>
  Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0) / 1000;

describe.each(DIALECTS)('stored times on $name under TZ=America/New_York', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;

  beforeEach(async () => {
    const target = await targets.fresh();
    if (dialect.name === 'postgres') {
      // A server default zone other than UTC must not leak into what we read.
      const database = new URL(target).pathname.slice(1);
      const admin = await openStore(target);
      await sql
        .raw(`ALTER DATABASE ${database} SET timezone = 'America/New_York'`)
        .execute(admin.db);
      await admin.close();
    }
    await importFolder(SAMPLE, target);
    store = await openStore(target);
    await migrate(store);
  });
  afterEach(async () => {
    await store?.close();
  });

  it('runs in a zone that is not UTC', () => {
    expect(new Date(utc(2026, 6, 3) * 1000).getTimezoneOffset()).toBe(240);
  });

  it('reads imported timestamps as UTC instants', async () => {
    const { positions } = await loadPositions(store, ['d81b17cd-e459-4bef-b6f9-254bba5e50b4']);
    expect(positions[0]!.entryTimestamp).toBe(utc(2026, 6, 3));
    expect(await newestSnapshot(store)).toBe(utc(2026, 6, 30));
  });

  it('writes and reads statistics at the same instants', async () => {
    const at = utc(2026, 3, 8, 7, 30); // the hour New York moves its clocks
    await upsertStatistics(
      store,
      [
        {
          positionId: 'tz',
          timestamp: at,
          totalPnl: 1,
          totalEarnings: 2,
          baseEarnings: 1.5,
          rewardEarnings: 0.5,
          totalFees: 1,
          currentValue: 101,
          realizedApr: 0.1,
          currentApr: null,
          livePnl: 1,
          realizedPnl: 0,
        },
      ],
      at + 5,
    );
    expect((await loadStatisticKeys(store, ['tz'])).get('tz')).toEqual([at]);
    const [row] = await loadStatistics(store, { positionIds: ['tz'] });
    expect([row!.timestamp, row!.calculationTimestamp]).toEqual([at, at + 5]);
    const text = await store.db
      .selectFrom('position_statistics')
      .select('timestamp as timestamp')
      .where('position_id', '=', 'tz')
      .executeTakeFirstOrThrow();
    expect(text.timestamp).toBe('2026-03-08 07:30:00');
  });
});

describe('stamps other programs wrote into SQLite', () => {
  const targets = useDialect({ name: 'sqlite' });

  it('are compared as instants, not as text', async () => {
    const store = await openStore(await targets.fresh(), { create: true });
    await migrate(store);
    const insert = store.sqlite!.prepare(
      'INSERT INTO rates_snapshot (timestamp, protocol, token_contract, lend_base_apr) VALUES (?, ?, ?, ?)',
    );
    const spelled: [string, number][] = [
      ['2026-06-30 22:00:00', utc(2026, 6, 30, 22)],
      ['2026-07-01T02:00:00+05:00', utc(2026, 6, 30, 21)],
      ['2026-06-30T23:30:00.250000Z', utc(2026, 6, 30, 23, 30)],
      ['2026-06-30 20:00:00-10:00', utc(2026, 7, 1, 6)],
    ];
    for (const [text, instant] of spelled) insert.run(text, 'navi', '0x2::sui::SUI', instant);

    const market = { protocol: 'navi', tokenContract: '0x2::sui::SUI' };
    const upTo = utc(2026, 6, 30, 23, 30);
    const rows = await loadRateRows(store, [market], { upTo });
    expect(rows.map((row) => [row.timestamp, row.lendBaseApr])).toEqual([
      [utc(2026, 6, 30, 21), utc(2026, 6, 30, 21)],
      [utc(2026, 6, 30, 22), utc(2026, 6, 30, 22)],
      [upTo, upTo],
    ]);
    expect(await snapshotTimes(store)).toEqual(spelled.map(([, t]) => t).sort((a, b) => a - b));
    expect(formatTime((await newestSnapshot(store))!)).toBe('2026-07-01 06:00:00');
    await store.close();
  });
});
