import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LendstatsError } from '../../src/domain/errors.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { acquireWriterLock } from '../../src/store/queries.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const HOST = hostname();

async function busyError(attempt: Promise<unknown>): Promise<LendstatsError> {
  const error = await attempt.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LendstatsError);
  return error as LendstatsError;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe.each(DIALECTS)('writer lock on $name', (dialect) => {
  const targets = useDialect(dialect);
  let first: Store;
  let second: Store;

  beforeEach(async () => {
    const target = await targets.fresh();
    first = await openStore(target, { create: true });
    await migrate(first);
    second = await openStore(target);
  });
  afterEach(async () => {
    await first?.close();
    await second?.close();
  });

  it('refuses a second holder and names the first one', async () => {
    const release = await acquireWriterLock(first, {
      runId: 'run-a',
      pid: process.pid,
      host: HOST,
    });

    const error = await busyError(
      acquireWriterLock(second, { runId: 'run-b', pid: process.pid, host: HOST }),
    );
    expect(error.code).toBe('DATABASE_BUSY');
    expect(error.message).toMatch(
      new RegExp(
        `^database is busy: run run-a \\(pid ${process.pid} on ${HOST}\\) holds the writer lock ` +
          'since \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC; wait for it to finish$',
      ),
    );

    await release();
    const again = await acquireWriterLock(second, { runId: 'run-b', pid: process.pid, host: HOST });
    const rows = await second.db
      .selectFrom('lendstats_lock')
      .select(['run_id as run_id'])
      .execute();
    expect(rows).toEqual([{ run_id: 'run-b' }]);
    await again();
    expect(await second.db.selectFrom('lendstats_lock').selectAll().execute()).toEqual([]);
  });

  it.runIf(dialect.name === 'sqlite')(
    'takes over a lock left by a process that is gone',
    async () => {
      const gone = deadPid();
      await first.db
        .insertInto('lendstats_lock')
        .values({
          name: 'writer',
          run_id: 'crashed',
          pid: gone,
          host: HOST,
          acquired_at: '2026-01-01 00:00:00',
        })
        .execute();

      const release = await acquireWriterLock(second, {
        runId: 'run-c',
        pid: process.pid,
        host: HOST,
      });
      const rows = await second.db
        .selectFrom('lendstats_lock')
        .select(['run_id as run_id', 'pid as pid'])
        .execute();
      expect(rows).toEqual([{ run_id: 'run-c', pid: process.pid }]);
      await release();
    },
  );

  it.runIf(dialect.name === 'sqlite')(
    'keeps a lock whose holder runs on another host',
    async () => {
      await first.db
        .insertInto('lendstats_lock')
        .values({
          name: 'writer',
          run_id: 'remote',
          pid: 1,
          host: `not-${HOST}`,
          acquired_at: '2026-01-01 00:00:00',
        })
        .execute();

      const error = await busyError(
        acquireWriterLock(second, { runId: 'run-d', pid: process.pid, host: HOST }),
      );
      expect(error.message).toContain(`run remote (pid 1 on not-${HOST})`);
    },
  );

  it.runIf(dialect.name === 'postgres')(
    'frees the lock when the holding session dies',
    async () => {
      const releaseFirst = await acquireWriterLock(first, {
        runId: 'run-e',
        pid: process.pid,
        host: HOST,
      });
      // A crash drops the session; terminating the backend that holds the advisory lock does the same.
      await second.pool!.query(
        'SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d ON d.oid = l.database ' +
          "WHERE l.locktype = 'advisory' AND d.datname = current_database() AND l.pid <> pg_backend_pid()",
      );

      const release = await acquireWriterLock(second, {
        runId: 'run-f',
        pid: process.pid,
        host: HOST,
      });
      const rows = await second.db
        .selectFrom('lendstats_lock')
        .select(['run_id as run_id'])
        .execute();
      expect(rows).toEqual([{ run_id: 'run-f' }]);
      await release();
      // Releasing the dead session's lock is harmless and gives its client back.
      await releaseFirst();
    },
  );
});
