/**
 * The single-writer lock. PostgreSQL: a session advisory lock on a client kept for the lock's
 * lifetime, so a crash that drops the session drops the lock. SQLite: a row in lendstats_lock,
 * taken in an immediate transaction; a row whose pid no longer runs on this host is stale.
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import { LendstatsError } from '../domain/errors.js';
import { formatTime } from '../domain/time.js';
import type { Store } from './connection.js';
import { lowerKeys } from './normalize.js';

export interface LockHolder {
  runId: string;
  pid: number;
  host: string;
}

/** Frees the lock; on PostgreSQL it also returns the lock's client, which store.close() waits for. */
export type Release = () => Promise<void>;

const LOCK_NAME = 'writer';

/** Arbitrary but fixed; advisory lock keys are scoped to the database. */
const WRITER_LOCK_KEY = 7_291_604_112;

interface LockRow {
  run_id: string;
  pid: number;
  host: string;
  acquired_at: string;
}

const SELECT_HOLDER =
  'SELECT run_id AS run_id, pid AS pid, host AS host, acquired_at AS acquired_at ' +
  'FROM lendstats_lock WHERE name = ';

export async function acquireWriterLock(store: Store, holder: LockHolder): Promise<Release> {
  return store.pool === undefined
    ? acquireSqlite(store, holder)
    : acquirePostgres(store.pool, holder);
}

async function acquirePostgres(pool: pg.Pool, holder: LockHolder): Promise<Release> {
  const client = await pool.connect();
  try {
    const taken = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      WRITER_LOCK_KEY,
    ]);
    if (!taken.rows[0]?.ok) {
      const current = await client.query<LockRow>(`${SELECT_HOLDER}$1`, [LOCK_NAME]);
      throw busyError(current.rows[0]);
    }
    await client.query(
      'INSERT INTO lendstats_lock (name, run_id, pid, host, acquired_at) ' +
        'VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, ' +
        'pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at',
      [LOCK_NAME, holder.runId, holder.pid, holder.host, nowText()],
    );
  } catch (error) {
    client.release();
    throw error;
  }

  // A checked-out client's errors do not reach the pool's listener. If the session dies the
  // server has dropped the lock with it; the run goes on (upserts keep concurrent writers correct).
  let lost: Error | null = null;
  const onError = (error: Error): void => {
    lost = error;
  };
  client.on('error', onError);
  let released = false;
  return async function releasePostgresLock() {
    if (released) return;
    released = true;
    // The pooled client outlives this lock: leave no listener behind on it.
    client.off('error', onError);
    if (lost !== null) {
      client.release(lost);
      return;
    }
    try {
      await client.query('DELETE FROM lendstats_lock WHERE name = $1 AND run_id = $2', [
        LOCK_NAME,
        holder.runId,
      ]);
      await client.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK_KEY]);
    } finally {
      client.release();
    }
  };
}

async function acquireSqlite(store: Store, holder: LockHolder): Promise<Release> {
  const sqlite = store.sqlite!;
  const select = sqlite.prepare(`${SELECT_HOLDER}?`);
  const upsert = sqlite.prepare(
    'INSERT INTO lendstats_lock (name, run_id, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, pid = excluded.pid, ' +
      'host = excluded.host, acquired_at = excluded.acquired_at',
  );
  const remove = sqlite.prepare('DELETE FROM lendstats_lock WHERE name = ? AND run_id = ?');

  const take = sqlite.transaction((): LockRow | null => {
    const found = select.get(LOCK_NAME) as Record<string, unknown> | undefined;
    const current = found === undefined ? undefined : (lowerKeys(found) as unknown as LockRow);
    if (current !== undefined && !isStale(current)) return current;
    upsert.run(LOCK_NAME, holder.runId, holder.pid, holder.host, nowText());
    return null;
  });
  const current = take.immediate();
  if (current !== null) throw busyError(current);

  // A normal exit without release (process.exit in a command) still frees the lock.
  const onExit = (): void => {
    if (sqlite.open) remove.run(LOCK_NAME, holder.runId);
  };
  process.once('exit', onExit);
  return async function releaseSqliteLock() {
    process.off('exit', onExit);
    onExit();
  };
}

/** Only a holder on this host can be checked; pid reuse by another program is a known limit. */
function isStale(row: LockRow): boolean {
  return row.host === hostname() && !processRuns(Number(row.pid));
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function busyError(row: LockRow | undefined): LendstatsError {
  if (row === undefined) {
    return new LendstatsError(
      'DATABASE_BUSY',
      'database is busy: another lendstats run holds the writer lock; wait for it to finish',
    );
  }
  return new LendstatsError(
    'DATABASE_BUSY',
    `database is busy: run ${row.run_id} (pid ${row.pid} on ${row.host}) holds the writer lock ` +
      `since ${row.acquired_at} UTC; wait for it to finish`,
  );
}

function nowText(): string {
  return formatTime(Math.floor(Date.now() / 1000));
}
