/** Ledger queries beyond run-history.ts: stale runs, the last done run, a run's failed pairs. */
import { readStoredTime } from '../domain/time.js';
import type { Store } from './connection.js';
import { findRun, listRuns, type RunRecord } from './run-history.js';

/** Marks every `running` row except `keep` as interrupted; the caller holds the writer lock. */
export async function markInterrupted(store: Store, keep: string): Promise<RunRecord[]> {
  const stale = (await listRuns(store, 10_000)).filter(
    (run) => run.status === 'running' && run.id !== keep,
  );
  for (const run of stale) {
    await store.db
      .updateTable('lendstats_runs')
      .set({ status: 'interrupted', message: 'found running after its process had gone' })
      .where('id', '=', run.id)
      .execute();
  }
  return stale;
}

/** The latest backfill run with status `done`, or null. */
export async function lastDoneRun(store: Store): Promise<RunRecord | null> {
  const runs = await listRuns(store, 10_000);
  return (
    runs.find((run) => run.status === 'done' && (run.kind ?? 'backfill') === 'backfill') ?? null
  );
}

/** A run by id, or the latest backfill run when `id` is undefined. */
export async function runOrLatest(store: Store, id: string | undefined): Promise<RunRecord | null> {
  if (id !== undefined) return findRun(store, id);
  const runs = await listRuns(store, 10_000);
  return (
    runs.find((run) => (run.kind ?? 'backfill') === 'backfill' && run.status !== 'running') ?? null
  );
}

/** Every failed (position, timestamp) of a run, grouped by position, ascending. */
export async function failedPairs(store: Store, runId: string): Promise<Map<string, number[]>> {
  const rows = await store.db
    .selectFrom('lendstats_run_failures')
    .select(['position_id as position_id', 'timestamp as timestamp'])
    .where('run_id', '=', runId)
    .execute();
  const pairs = new Map<string, number[]>();
  for (const row of rows) {
    if (row.timestamp === null) continue;
    const list = pairs.get(row.position_id) ?? [];
    list.push(readStoredTime(row.timestamp));
    pairs.set(row.position_id, list);
  }
  for (const list of pairs.values()) list.sort((a, b) => a - b);
  return pairs;
}
