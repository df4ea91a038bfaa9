import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connection.js';
import { runCli, runInProcess, SAMPLE, startCli } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const LOGS = join(tmpdir(), 'lendstats-test-logs');
const NOW = '2026-06-30 00:00:00';

const json = <T>(text: string): T => JSON.parse(text) as T;

async function count(db: string, where?: [string, string]): Promise<number> {
  const store = await openStore(db);
  try {
    let query = store.db
      .selectFrom('position_statistics')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (where) query = query.where('position_id', '=', where[1]);
    return Number((await query.executeTakeFirstOrThrow()).n);
  } finally {
    await store.close();
  }
}

/** The sample with the Scallop USDsui market's rows before 2026-06-05 held back. */
function sampleWithout(): { folder: string; heldBack: string } {
  const folder = mkdtempSync(join(tmpdir(), 'lendstats-ledger-'));
  cpSync(SAMPLE, folder, { recursive: true });
  const [header, ...lines] = readFileSync(join(SAMPLE, 'rates_snapshot.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  const held = (line: string): boolean =>
    line.includes(',Scallop,') && line.includes('::usdsui::USDSUI') && line < '2026-06-05';
  writeFileSync(
    join(folder, 'rates_snapshot.csv'),
    `${[header, ...lines.filter((l) => !held(l))].join('\n')}\n`,
  );
  const heldBack = mkdtempSync(join(tmpdir(), 'lendstats-ledger-rates-'));
  writeFileSync(
    join(heldBack, 'rates_snapshot.csv'),
    `${[header, ...lines.filter(held)].join('\n')}\n`,
  );
  return { folder, heldBack };
}

describe.each(DIALECTS)('run ledger on $name', (dialect) => {
  const targets = useDialect(dialect);

  it('a run killed with SIGKILL shows as interrupted after the next run, which completes the plan', async () => {
    const db = await targets.fresh();
    expect(runCli(['--db', db, 'import', SAMPLE]).code).toBe(0);
    const run = startCli(
      ['--db', db, 'backfill', '--now', NOW, '--batch-size', '100', '--log-dir', LOGS],
      {
        LENDSTATS_BATCH_PAUSE_MS: '200',
      },
    );
    const started = Date.now();
    while ((await count(db)) < 47 + 200 && Date.now() - started < 30_000)
      await new Promise((r) => setTimeout(r, 25));
    run.child.kill('SIGKILL');
    await run.exited;

    const next = runCli(['--db', db, 'backfill', '--now', NOW, '--json', '--log-dir', LOGS]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('now interrupted');
    const runs = json<{ runs: { id: string; status: string }[] }>(
      runCli(['--db', db, 'runs', '--json']).stdout,
    ).runs;
    // Both runs may start within the same second, so the listing order between them is open.
    expect(runs.map((r) => r.status).sort()).toEqual(['done', 'interrupted']);
    expect(json<{ verification: { passed: boolean } }>(next.stdout).verification.passed).toBe(true);
  }, 90_000);

  it('--since-last plans only the new hours after a done run', async () => {
    const db = await targets.fresh();
    const imported = await runInProcess(['--db', db, 'import', SAMPLE]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(
      (
        await runInProcess([
          '--db',
          db,
          'backfill',
          '--now',
          '2026-06-29 00:00:00',
          '--log-dir',
          LOGS,
        ])
      ).code,
    ).toBe(0);
    const store = await openStore(db);
    await store.db
      .deleteFrom('position_statistics')
      .where('position_id', '=', 'd81b17cd-e459-4bef-b6f9-254bba5e50b4')
      .where('timestamp', '<', '2026-06-20 00:00:00')
      .execute();
    await store.close();

    // Ten positions are active through 2026-06-29..30: 24 new hourly samples each, no events.
    const since = await runInProcess([
      '--db',
      db,
      'backfill',
      '--since-last',
      '--dry-run',
      '--json',
      '--now',
      NOW,
    ]);
    expect(since.code, since.stderr).toBe(0);
    expect(json<{ planned: number }>(since.stdout).planned).toBe(240);
    const plain = await runInProcess(['--db', db, 'backfill', '--dry-run', '--json', '--now', NOW]);
    expect(json<{ planned: number }>(plain.stdout).planned).toBeGreaterThan(240);
  }, 90_000);

  it('--retry-failed plans exactly the failed pairs of a run and saves them once rates arrive', async () => {
    const db = await targets.fresh();
    const { folder, heldBack } = sampleWithout();
    expect((await runInProcess(['--db', db, 'import', folder])).code).toBe(0);
    const first = await runInProcess([
      '--db',
      db,
      'backfill',
      '--now',
      NOW,
      '--json',
      '--max-failure-rate',
      '1',
      '--log-dir',
      LOGS,
    ]);
    const report = json<{
      run_id: string;
      failed: number;
      failures: { position_id: string; reason: string }[];
    }>(first.stdout);
    expect(report.failed).toBeGreaterThan(0);
    expect(new Set(report.failures.map((f) => f.position_id))).toEqual(
      new Set(['d81b17cd-e459-4bef-b6f9-254bba5e50b4']),
    );
    expect(report.failures[0]!.reason).toContain(
      'no rate data for Scallop 0x44f838219cf67b058f3b37907b655f226153c18e33dfcd0da559a844fea9b1c1::usdsui::USDSUI at or before 2026-06-03 00:00:00',
    );

    expect((await runInProcess(['--db', db, 'import', heldBack])).code).toBe(0);
    const retry = await runInProcess([
      '--db',
      db,
      'backfill',
      '--retry-failed',
      '--json',
      '--log-dir',
      LOGS,
    ]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(json<{ planned: number; saved: number; failed: number }>(retry.stdout)).toMatchObject({
      planned: report.failed,
      saved: report.failed,
      failed: 0,
    });
    const shown = json<{ retry_of: string; failures: unknown[] }>(
      (
        await runInProcess([
          '--db',
          db,
          'runs',
          'show',
          json<{ run_id: string }>(retry.stdout).run_id,
          '--json',
        ])
      ).stdout,
    );
    expect(shown.retry_of).toBe(report.run_id);
    expect(shown.failures).toEqual([]);
    expect(
      json<{ failures: unknown[] }>(
        (await runInProcess(['--db', db, 'runs', 'show', report.run_id, '--json'])).stdout,
      ).failures,
    ).toHaveLength(report.failed);
  }, 90_000);

  it('each rollback selector deletes exactly the rows it names; without --yes off a terminal it refuses', async () => {
    const db = await targets.fresh();
    const imported = await runInProcess(['--db', db, 'import', SAMPLE]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(
      (await runInProcess(['--db', db, 'backfill', '--now', NOW, '--log-dir', LOGS])).code,
    ).toBe(0);
    const total = await count(db);
    const d81b = await count(db, ['position_id', 'd81b17cd-e459-4bef-b6f9-254bba5e50b4']);

    const refused = await runInProcess(['--db', db, 'rollback', '--position', 'd81b']);
    expect(refused.code).toBe(2);
    expect(await count(db)).toBe(total);

    // The 47 imported placeholder rows were calculated in June 2026; ours today.
    const byCalc = await runInProcess([
      '--db',
      db,
      'rollback',
      '--calculated-to',
      '2026-07-01 00:00:00',
      '--yes',
      '--json',
    ]);
    expect(json<{ deleted: number }>(byCalc.stdout).deleted).toBe(47);
    const afterCalc = await count(db);
    expect(afterCalc).toBe(total - 47);
    const d81bLeft = await count(db, ['position_id', 'd81b17cd-e459-4bef-b6f9-254bba5e50b4']);

    const byTime = await runInProcess([
      '--db',
      db,
      'rollback',
      '--start',
      '2026-06-29 01:00:00',
      '--end',
      '2026-06-29 03:00:00',
      '--yes',
      '--json',
    ]);
    expect(json<{ deleted: number }>(byTime.stdout).deleted).toBe(3 * 10);
    const byPosition = await runInProcess([
      '--db',
      db,
      'rollback',
      '--position',
      'd81b',
      '--yes',
      '--json',
    ]);
    expect(json<{ deleted: number }>(byPosition.stdout).deleted).toBe(d81bLeft - 3);
    expect(await count(db)).toBe(afterCalc - 30 - (d81bLeft - 3));
    // The calculation-time rollback took the five imported d81b rows (sample/position_statistics.csv).
    expect(d81b - d81bLeft).toBe(5);

    const all = await runInProcess(['--db', db, 'rollback', '--all', '--yes', '--json']);
    expect(json<{ deleted: number }>(all.stdout).deleted).toBe(afterCalc - 30 - (d81bLeft - 3));
    expect(await count(db)).toBe(0);
    const runs = json<{ runs: { kind: string; deleted: number | null }[] }>(
      (await runInProcess(['--db', db, 'runs', '--json'])).stdout,
    ).runs;
    expect(runs.filter((r) => r.kind === 'rollback')).toHaveLength(4);
  }, 90_000);

  it.runIf(dialect.name === 'sqlite')(
    'a backup taken during a running backfill passes integrity_check',
    async () => {
      const db = await targets.fresh();
      const imported = await runInProcess(['--db', db, 'import', SAMPLE]);
      expect(imported.code, imported.stderr).toBe(0);
      const run = startCli(
        ['--db', db, 'backfill', '--now', NOW, '--batch-size', '100', '--log-dir', LOGS],
        {
          LENDSTATS_BATCH_PAUSE_MS: '100',
        },
      );
      const started = Date.now();
      while ((await count(db)) < 47 + 100 && Date.now() - started < 30_000)
        await new Promise((r) => setTimeout(r, 25));
      const file = join(mkdtempSync(join(tmpdir(), 'lendstats-backup-')), 'copy.db');
      const backup = await runInProcess(['--db', db, 'backup', file]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(await run.exited).toBe(0);
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        copy.prepare('SELECT COUNT(*) FROM position_statistics').pluck().get(),
      ).toBeGreaterThan(47);
      copy.close();
    },
    90_000,
  );
});
