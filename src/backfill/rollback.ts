/**
 * Rollback: deletes the statistic rows a selection names, in one transaction, and records the
 * deletion in the run ledger. Selectors combine (a row must match all that are given).
 */
import { hostname } from 'node:os';
import { LendstatsError } from '../domain/errors.js';
import { readStoredTime } from '../domain/time.js';
import type { Store } from '../store/connection.js';
import { loadPositions } from '../store/queries.js';
import { recordRunStart, type RunRecord } from '../store/run-history.js';
import { inTransaction } from '../store/transaction.js';
import { selectPositions } from './select.js';

export interface RollbackSelection {
  positions: string[];
  calculatedFrom: number | null;
  calculatedTo: number | null;
  start: number | null;
  end: number | null;
  all: boolean;
}

export interface RollbackPlan {
  /** Rows per position, with the exact stored key text (so odd spellings are matched too). */
  rows: Map<string, string[]>;
  total: number;
}

const CHUNK = 500;

export function checkSelection(selection: RollbackSelection): void {
  const narrowed =
    selection.positions.length > 0 ||
    selection.calculatedFrom !== null ||
    selection.calculatedTo !== null ||
    selection.start !== null ||
    selection.end !== null;
  if (selection.all && narrowed) {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      '--all deletes every statistic; it takes no other selector',
    );
  }
  const inverted = (from: number | null, to: number | null): boolean =>
    from !== null && to !== null && from > to;
  if (
    inverted(selection.start, selection.end) ||
    inverted(selection.calculatedFrom, selection.calculatedTo)
  ) {
    throw new LendstatsError('BAD_ARGUMENT', 'a range starts after it ends: nothing would match');
  }
  if (!selection.all && !narrowed) {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      'say what to delete: --position, --calculated-from/--calculated-to, --start/--end, or --all',
    );
  }
}

/** Finds the rows to delete; times are compared as instants, never as text. */
export async function planRollback(
  store: Store,
  selection: RollbackSelection,
): Promise<RollbackPlan> {
  checkSelection(selection);
  let ids: string[] | null = null;
  if (selection.positions.length > 0) {
    const { positions, invalid } = await loadPositions(store);
    const statIds = (
      await store.db
        .selectFrom('position_statistics')
        .select('position_id as position_id')
        .distinct()
        .execute()
    ).map((r) => r.position_id);
    const known = [
      ...new Set([
        ...positions.map((p) => p.positionId),
        ...invalid.map((p) => p.positionId),
        ...statIds,
      ]),
    ];
    ids = [...selectPositions(known, selection.positions)];
  }

  let query = store.db
    .selectFrom('position_statistics')
    .select([
      'position_id as position_id',
      'timestamp as timestamp',
      'calculation_timestamp as calculation_timestamp',
    ]);
  if (ids !== null) query = query.where('position_id', 'in', ids);
  const inRange = (value: number | null, from: number | null, to: number | null): boolean =>
    (from === null || (value !== null && value >= from)) &&
    (to === null || (value !== null && value <= to));

  const rows = new Map<string, string[]>();
  let total = 0;
  for (const row of await query.execute()) {
    const at = readStoredTime(row.timestamp);
    const calculated =
      row.calculation_timestamp === null ? null : readStoredTime(row.calculation_timestamp);
    if (!inRange(at, selection.start, selection.end)) continue;
    if (!inRange(calculated, selection.calculatedFrom, selection.calculatedTo)) continue;
    const list = rows.get(row.position_id) ?? [];
    list.push(String(row.timestamp));
    rows.set(row.position_id, list);
    total++;
  }
  return { rows, total };
}

/** Deletes the planned rows in one transaction and records the rollback; returns the count. */
export async function applyRollback(
  store: Store,
  plan: RollbackPlan,
  record: { id: string; args: unknown; version: string },
): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  let deleted = 0;
  await inTransaction(store, async (db) => {
    for (const [positionId, stamps] of plan.rows) {
      for (let i = 0; i < stamps.length; i += CHUNK) {
        const result = await db
          .deleteFrom('position_statistics')
          .where('position_id', '=', positionId)
          .where('timestamp', 'in', stamps.slice(i, i + CHUNK))
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
    }
  });
  const run: RunRecord = {
    id: record.id,
    startedAt: now,
    endedAt: Math.floor(Date.now() / 1000),
    status: 'done',
    args: JSON.stringify(record.args),
    now: null,
    sampling: null,
    planned: null,
    saved: null,
    failed: null,
    staleRates: null,
    logFile: null,
    message: `rollback deleted ${deleted} rows`,
    kind: 'rollback',
    version: record.version,
    deleted,
  };
  await recordRunStart(store, run, process.pid, hostname());
  return deleted;
}
