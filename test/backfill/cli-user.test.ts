import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../../src/store/queries.js';
import { openStore } from '../../src/store/connection.js';
import { runCli, runInProcess, SAMPLE } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { statisticRows } from '../helpers/stat-rows.js';

const NOW = '2026-06-30 00:00:00';
const LOGS = join(tmpdir(), 'lendstats-test-logs');

describe.each(DIALECTS)('the CLI as a user runs it, on $name', (dialect) => {
  const targets = useDialect(dialect);

  it('gives identical rows under TZ=America/New_York and TZ=UTC', async () => {
    const rows: string[][] = [];
    for (const TZ of ['UTC', 'America/New_York']) {
      const db = await targets.fresh();
      expect(runCli(['--db', db, 'import', SAMPLE], { TZ }).code).toBe(0);
      const run = runCli(
        ['--db', db, 'backfill', '--now', '2026-06-29 19:00:00-05:00', '--log-dir', LOGS],
        { TZ },
      );
      expect(run.code, run.stderr).toBe(0);
      rows.push(await statisticRows(db));
    }
    expect(rows[0]!.length).toBeGreaterThan(2000);
    expect(rows[1]).toEqual(rows[0]);
  });

  it('a second backfill stops at once naming the running one', async () => {
    const db = await targets.fresh();
    expect((await runInProcess(['--db', db, 'import', SAMPLE])).code).toBe(0);
    const store = await openStore(db);
    const release = await acquireWriterLock(store, {
      runId: 'run-under-test',
      pid: process.pid,
      host: 'testhost',
    });
    try {
      const second = await runInProcess(['--db', db, 'backfill', '--now', NOW, '--log-dir', LOGS]);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('run-under-test');
    } finally {
      await release();
      await store.close();
    }
  });

  it('stats prints one statistic, exits 1 for a failed one and 2 for an unknown position', async () => {
    const db = await targets.fresh();
    expect(runCli(['--db', db, 'import', SAMPLE]).code).toBe(0);
    const ok = runCli([
      '--db',
      db,
      'stats',
      '--position',
      'd81b',
      '--at',
      '2026-06-03 00:00:00',
      '--json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const stat = JSON.parse(ok.stdout) as Record<string, number | string | null>;
    // At entry: only the entry fees, 11000 * (1.134454 * 0.003 + 0.680672 * 0) (Scallop fee 0.003).
    expect(stat['total_fees']).toBeCloseTo(11000 * 1.134454 * 0.003, 9);
    expect(stat['realized_apr']).toBeNull();
    expect(Object.keys(stat)).toEqual([
      'position_id',
      'timestamp',
      'total_pnl',
      'total_earnings',
      'base_earnings',
      'reward_earnings',
      'total_fees',
      'current_value',
      'realized_apr',
      'current_apr',
      'live_pnl',
      'realized_pnl',
      'calculation_timestamp',
    ]);

    const before = runCli([
      '--db',
      db,
      'stats',
      '--position',
      'd81b',
      '--at',
      '2026-06-02 23:59:59',
      '--json',
    ]);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject({
      position_id: 'd81b17cd-e459-4bef-b6f9-254bba5e50b4',
      timestamp: '2026-06-02 23:59:59',
    });
    expect(before.stderr).toContain('before its entry');

    expect(runCli(['--db', db, 'stats', '--position', 'nope', '--at', NOW]).code).toBe(2);
    const fraction = runCli([
      '--db',
      db,
      'stats',
      '--position',
      'd81b',
      '--at',
      '2026-06-03 00:00:00.5',
    ]);
    expect(fraction.code).toBe(2);
    expect(fraction.stderr).toContain('fractional seconds');
  });

  it('an inverted range and an empty database are refused with exit 2', async () => {
    const db = await targets.fresh();
    if (dialect.name === 'sqlite') writeFileSync(db, '');
    const empty = await runInProcess(['--db', db, 'backfill', '--now', NOW]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('not initialised');
    expect((await runInProcess(['--db', db, 'import', SAMPLE])).code).toBe(0);
    const inverted = await runInProcess([
      '--db',
      db,
      'backfill',
      '--start',
      NOW,
      '--end',
      '2026-06-01 00:00:00',
    ]);
    expect(inverted.code).toBe(2);
    expect(inverted.stderr).toContain('--start is after --end');
  });

  it('verify counts rows outside [entry, end] and rows of unknown positions as orphans', async () => {
    const db = await targets.fresh();
    expect((await runInProcess(['--db', db, 'import', SAMPLE])).code).toBe(0);
    expect(
      (await runInProcess(['--db', db, 'backfill', '--now', NOW, '--log-dir', LOGS])).code,
    ).toBe(0);
    const store = await openStore(db);
    const row = {
      total_pnl: 0,
      total_earnings: 0,
      base_earnings: 0,
      reward_earnings: 0,
      total_fees: 0,
      current_value: 0,
      realized_apr: null,
      current_apr: null,
      live_pnl: 0,
      realized_pnl: 0,
      calculation_timestamp: null,
    };
    await store.db
      .insertInto('position_statistics')
      .values([
        // Before the entry of d81b (2026-06-03), after the close of 4b63 (2026-06-14), and a stranger.
        {
          ...row,
          position_id: 'd81b17cd-e459-4bef-b6f9-254bba5e50b4',
          timestamp: '2026-06-02 00:00:00',
        },
        {
          ...row,
          position_id: '4b63809c-4386-4951-8f69-399ec745c1d0',
          timestamp: '2026-06-15 00:00:00',
        },
        { ...row, position_id: 'no-such-position', timestamp: '2026-06-15 00:00:00' },
      ])
      .execute();
    await store.close();
    const result = await runInProcess([
      '--db',
      db,
      'verify',
      '--now',
      NOW,
      '--json',
      '--sample',
      '0',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      orphans: 3,
      passed: true,
      coverage: { missing: [] },
    });
  });

  it('an uninitialised database is exit 2 with a message saying what to do', async () => {
    const db =
      dialect.name === 'sqlite'
        ? join(tmpdir(), 'lendstats-missing', 'none.db')
        : 'postgres://postgres@127.0.0.1:1/none';
    const result = await runInProcess(['--db', db, 'backfill', '--now', NOW]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not exist|cannot connect|unavailable/i);
  });
});
