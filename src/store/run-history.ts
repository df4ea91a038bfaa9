/**
 * Backfill runs in lendstats_runs and lendstats_run_failures: what the dashboard's history panel
 * lists, and how the server records the runs it starts. Small on purpose, so that the run ledger
 * can replace it behind the same functions.
 */
import { formatTime, readStoredTime } from '../domain/time.js';
import type { Store } from './connection.js';
import { lowerKeys } from './normalize.js';
import { optionalNumber, optionalText } from './row-reader.js';
import { inTransaction } from './transaction.js';

/**
 * `running` while a writer holds the lock; `done` when it finished its plan (failures of single
 * statistics included); `failed` when an error stopped it; `interrupted` when it was cancelled,
 * or found `running` by a later run after its process had gone (a crash, SIGKILL).
 */
export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface RunRecord {
  id: string;
  startedAt: number;
  endedAt: number | null;
  status: RunStatus;
  /** The run's options as JSON text, as recorded. */
  args: string | null;
  now: number | null;
  sampling: string | null;
  planned: number | null;
  saved: number | null;
  failed: number | null;
  staleRates: number | null;
  logFile: string | null;
  message: string | null;
  /** `backfill` (default) or `rollback`. */
  kind?: string | null;
  version?: string | null;
  /** Rows a rollback deleted. */
  deleted?: number | null;
  /** The run whose failed pairs this run retried. */
  retryOf?: string | null;
  pid?: number | null;
  host?: string | null;
}

export interface RunFailureRecord {
  positionId: string;
  timestamp: number | null;
  reason: string;
}

export async function listRuns(store: Store, limit: number): Promise<RunRecord[]> {
  const rows = await store.db
    .selectFrom('lendstats_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => toRun(lowerKeys(row)));
}

export async function findRun(store: Store, id: string): Promise<RunRecord | null> {
  const row = await store.db
    .selectFrom('lendstats_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toRun(lowerKeys(row));
}

export async function listRunFailures(
  store: Store,
  runId: string,
  limit: number,
): Promise<RunFailureRecord[]> {
  const rows = await store.db
    .selectFrom('lendstats_run_failures')
    .select(['position_id as position_id', 'timestamp as timestamp', 'reason as reason'])
    .where('run_id', '=', runId)
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    positionId: row.position_id,
    timestamp: row.timestamp === null ? null : readStoredTime(row.timestamp),
    reason: row.reason,
  }));
}

export async function recordRunStart(
  store: Store,
  run: RunRecord,
  pid: number,
  host: string,
): Promise<void> {
  await store.db
    .insertInto('lendstats_runs')
    .values({
      id: run.id,
      started_at: formatTime(run.startedAt),
      ended_at: null,
      status: run.status,
      args: run.args,
      now_ts: run.now === null ? null : formatTime(run.now),
      sampling: run.sampling,
      planned: null,
      saved: null,
      failed: null,
      stale_rates: null,
      log_file: run.logFile,
      version: run.version ?? null,
      pid,
      host,
      message: run.message,
      kind: run.kind ?? 'backfill',
      deleted: run.deleted ?? null,
      retry_of: run.retryOf ?? null,
    })
    .execute();
}

/** Stores the outcome and the failures of a run in one transaction. */
export async function recordRunEnd(
  store: Store,
  run: RunRecord,
  failures: readonly RunFailureRecord[],
): Promise<void> {
  await inTransaction(store, async (db) => {
    await db
      .updateTable('lendstats_runs')
      .set({
        ended_at: run.endedAt === null ? null : formatTime(run.endedAt),
        status: run.status,
        planned: run.planned,
        saved: run.saved,
        failed: run.failed,
        stale_rates: run.staleRates,
        message: run.message,
        deleted: run.deleted ?? null,
      })
      .where('id', '=', run.id)
      .execute();
    for (let i = 0; i < failures.length; i += 500) {
      const chunk = failures.slice(i, i + 500).map((failure) => ({
        run_id: run.id,
        position_id: failure.positionId,
        timestamp: failure.timestamp === null ? null : formatTime(failure.timestamp),
        reason: failure.reason,
      }));
      await db.insertInto('lendstats_run_failures').values(chunk).execute();
    }
  });
}

function toRun(row: Record<string, unknown>): RunRecord {
  const time = (column: string): number | null => {
    const value = row[column];
    return value === null || value === undefined ? null : readStoredTime(value as string);
  };
  return {
    id: String(row['id']),
    startedAt: time('started_at') ?? 0,
    endedAt: time('ended_at'),
    status: String(row['status']) as RunStatus,
    args: optionalText(row, 'args'),
    now: time('now_ts'),
    sampling: optionalText(row, 'sampling'),
    planned: optionalNumber(row, 'planned'),
    saved: optionalNumber(row, 'saved'),
    failed: optionalNumber(row, 'failed'),
    staleRates: optionalNumber(row, 'stale_rates'),
    logFile: optionalText(row, 'log_file'),
    message: optionalText(row, 'message'),
    kind: optionalText(row, 'kind') ?? 'backfill',
    version: optionalText(row, 'version'),
    deleted: optionalNumber(row, 'deleted'),
    retryOf: optionalText(row, 'retry_of'),
    pid: optionalNumber(row, 'pid'),
    host: optionalText(row, 'host'),
  };
}
