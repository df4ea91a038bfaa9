import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SAMPLE } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { statisticRows } from '../helpers/stat-rows.js';

const LOGS = join(tmpdir(), 'lendstats-test-logs');

describe.runIf(DIALECTS.length === 2)('SQLite and PostgreSQL', () => {
  const sqliteTargets = useDialect({ name: 'sqlite' });
  const postgresTargets = useDialect({ name: 'postgres' });

  it('store bit-for-bit identical statistics for every row of the sample database', async () => {
    const rows: string[][] = [];
    for (const db of [await sqliteTargets.fresh(), await postgresTargets.fresh()]) {
      expect(runCli(['--db', db, 'import', SAMPLE]).code).toBe(0);
      for (const extra of [[], ['--force']]) {
        const run = runCli([
          '--db',
          db,
          'backfill',
          '--now',
          '2026-06-30 00:00:00',
          ...extra,
          '--log-dir',
          LOGS,
        ]);
        expect(run.code, run.stderr).toBe(0);
      }
      rows.push(await statisticRows(db));
    }
    // JSON keeps every double exactly, so equal strings mean equal bits.
    // 2553 planned statistics and the 47 imported rows, recomputed by --force.
    expect(rows[0]!.length).toBe(2553 + 47);
    expect(rows[1]).toEqual(rows[0]);
  }, 120_000);
});
