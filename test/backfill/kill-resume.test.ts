import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connection.js';
import { runCli, SAMPLE, startCli } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { statisticRows } from '../helpers/stat-rows.js';

const NOW = '2026-06-30 00:00:00';
const LOGS = join(tmpdir(), 'lendstats-test-logs');
const BACKFILL = ['backfill', '--now', NOW, '--log-dir', LOGS];
const BATCH = 100;

async function countRows(db: string): Promise<number> {
  const store = await openStore(db);
  try {
    const row = await store.db
      .selectFrom('position_statistics')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await store.close();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the run');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DIALECTS)('kill and resume on $name', (dialect) => {
  const targets = useDialect(dialect);

  it('runs killed with SIGKILL at several points, then re-run, end with the uninterrupted rows', async () => {
    const reference = await targets.fresh();
    expect(runCli(['--db', reference, 'import', SAMPLE]).code).toBe(0);
    expect(runCli(['--db', reference, ...BACKFILL]).code).toBe(0);
    const expected = await statisticRows(reference);
    const initial = 47;

    const db = await targets.fresh();
    expect(runCli(['--db', db, 'import', SAMPLE]).code).toBe(0);
    // Five kill points, each after at least one more batch has committed.
    for (const batches of [1, 3, 6, 10, 15]) {
      const run = startCli(['--db', db, ...BACKFILL, '--batch-size', String(BATCH)], {
        LENDSTATS_BATCH_PAUSE_MS: '150',
      });
      const before = await countRows(db);
      await waitFor(
        async () => (await countRows(db)) >= Math.max(before + BATCH, initial + batches * BATCH),
      );
      run.child.kill('SIGKILL');
      expect(await run.exited).toBeNull();
    }
    const partial = await countRows(db);
    expect(partial).toBeGreaterThan(initial);
    expect(partial).toBeLessThan(expected.length);

    const resumed = runCli(['--db', db, ...BACKFILL, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as { planned: number; saved: number };
    expect(report.planned).toBe(expected.length - partial);
    expect(await statisticRows(db)).toEqual(expected);
  }, 120_000);
});
