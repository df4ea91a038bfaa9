/** Reads and the bulk upsert of position_statistics. */
import { sql } from 'kysely';
import { formatTime } from '../domain/time.js';
import {
  METRIC_COLUMNS,
  statisticColumns,
  type MetricColumn,
  type Statistic,
} from '../domain/types.js';
import type { Store } from './connection.js';
import { cachedTimeReader, optionalNumber } from './row-reader.js';
import { textBelow, textFrom } from './text-bounds.js';
import { idChunks } from './id-chunks.js';
import { copyUpsertStatistics } from './statistics-copy.js';

export interface StatisticFilter {
  positionIds?: readonly string[];
  /** Inclusive bounds, UTC seconds. */
  from?: number;
  to?: number;
}

/** One stored row, whoever wrote it: metrics may be NULL. */
export interface StoredStatistic {
  positionId: string;
  timestamp: number;
  values: Record<MetricColumn, number | null>;
  calculationTimestamp: number | null;
}

const COLUMNS = ['position_id', 'timestamp', ...METRIC_COLUMNS, 'calculation_timestamp'] as const;

/** Stored statistic instants per position, ascending and distinct. */
export async function loadStatisticKeys(
  store: Store,
  positionIds?: readonly string[],
): Promise<Map<string, number[]>> {
  const readTime = cachedTimeReader();
  const keys = new Map<string, number[]>();
  const add = (positionId: string, stamp: string): void => {
    const list = keys.get(positionId);
    const instant = readTime(stamp);
    if (list === undefined) keys.set(positionId, [instant]);
    else list.push(instant);
  };
  for (const ids of idChunks(positionIds)) {
    if (store.sqlite !== undefined) {
      // The raw driver in array mode: a backfill re-reads every key of its run in verification.
      const where =
        ids === undefined ? '' : ` WHERE position_id IN (${ids.map(() => '?').join(', ')})`;
      const statement = store.sqlite
        .prepare(`SELECT position_id, timestamp FROM position_statistics${where}`)
        .raw(true);
      for (const [positionId, stamp] of statement.iterate(...(ids ?? [])) as Iterable<
        [string, string]
      >) {
        add(positionId, stamp);
      }
      continue;
    }
    let query = store.db
      .selectFrom('position_statistics')
      .select(['position_id as position_id', 'timestamp as timestamp']);
    if (ids !== undefined) query = query.where('position_id', 'in', ids);
    for (const row of await query.execute()) add(row.position_id, row.timestamp);
  }

  for (const [id, list] of keys) keys.set(id, sortedDistinct(list));
  return keys;
}

/** Stored rows ordered by position, then time. */
export async function loadStatistics(
  store: Store,
  filter: StatisticFilter = {},
): Promise<StoredStatistic[]> {
  const readTime = cachedTimeReader();
  const stats: StoredStatistic[] = [];
  for (const ids of idChunks(filter.positionIds)) {
    let query = store.db
      .selectFrom('position_statistics')
      .select(COLUMNS.map((column) => sql.ref<unknown>(column).as(column)));
    if (ids !== undefined) query = query.where('position_id', 'in', ids);
    const sqlite = store.dialect === 'sqlite';
    if (filter.from !== undefined) {
      const bound = sqlite ? textFrom(filter.from) : formatTime(filter.from);
      query = query.where('timestamp', '>=', bound);
    }
    if (filter.to !== undefined) {
      query = sqlite
        ? query.where('timestamp', '<', textBelow(filter.to))
        : query.where('timestamp', '<=', formatTime(filter.to));
    }

    for (const row of await query.execute()) {
      const stat = toStoredStatistic(row, readTime);
      if (filter.from !== undefined && stat.timestamp < filter.from) continue;
      if (filter.to !== undefined && stat.timestamp > filter.to) continue;
      stats.push(stat);
    }
  }

  return stats.sort(
    (a, b) =>
      (a.positionId < b.positionId ? -1 : a.positionId > b.positionId ? 1 : 0) ||
      a.timestamp - b.timestamp,
  );
}

/**
 * Writes `rows` with an upsert on (position_id, timestamp) in one transaction, stamping
 * `calculationTimestamp`; returns the number of rows written. Non-finite metrics are refused.
 */
export async function upsertStatistics(
  store: Store,
  rows: readonly Statistic[],
  calculationTimestamp: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  const calculatedAt = formatTime(calculationTimestamp);
  for (const row of rows) checkFinite(row);

  if (store.sqlite !== undefined) {
    const statement = store.sqlite.prepare(
      `INSERT INTO position_statistics (${COLUMNS.join(', ')}) ` +
        `VALUES (${COLUMNS.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (position_id, timestamp) DO UPDATE SET ${updateList()}`,
    );
    // Values are bound straight from each statistic: no intermediate record per row, because a
    // backfill writes hundreds of thousands of them and the garbage sets its peak memory.
    store.sqlite.transaction(() => {
      for (const r of rows) {
        statement.run(
          r.positionId,
          formatTime(r.timestamp),
          r.totalPnl,
          r.totalEarnings,
          r.baseEarnings,
          r.rewardEarnings,
          r.totalFees,
          r.currentValue,
          r.realizedApr,
          r.currentApr,
          r.livePnl,
          r.realizedPnl,
          calculatedAt,
        );
      }
    })();
    return rows.length;
  }

  // By COPY (statistics-copy.ts). Measured in one run on 300k rows in 50k-row batches (local
  // PostgreSQL 15, loaded 2-core box): COPY into a temporary table then INSERT … SELECT … ON
  // CONFLICT went at 26-36k rows/s inserted and 21k updated, against 16-21k and 18k for the former
  // unnest arrays (one array parameter per column): pg spells every array element through its
  // generic value preparation, which cost a backfill more CPU than its own math. A batch of new
  // keys skips the temporary table: COPY straight into the table took 20-35% less time again.
  await copyUpsertStatistics(store.pool!, rows, calculatedAt);
  return rows.length;
}

/** Refuses a statistic with an infinite or NaN metric (a NULL is fine). */
function checkFinite(stat: Statistic): void {
  const values = [
    stat.totalPnl,
    stat.totalEarnings,
    stat.baseEarnings,
    stat.rewardEarnings,
    stat.totalFees,
    stat.currentValue,
    stat.livePnl,
    stat.realizedPnl,
  ];
  const finite =
    values.every(Number.isFinite) &&
    (stat.realizedApr === null || Number.isFinite(stat.realizedApr)) &&
    (stat.currentApr === null || Number.isFinite(stat.currentApr));
  if (finite) return;
  const metrics = statisticColumns(stat);
  const bad = METRIC_COLUMNS.find(
    (column) => metrics[column] !== null && !Number.isFinite(metrics[column]),
  );
  throw new Error(
    `statistic of ${stat.positionId} at ${formatTime(stat.timestamp)}: ${bad} is ${bad === undefined ? '?' : metrics[bad]}`,
  );
}

function updateList(): string {
  return [...METRIC_COLUMNS, 'calculation_timestamp']
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
}

/** Maps one row read with COLUMNS' aliases; times go through `readTime`. */
export function toStoredStatistic(
  row: Record<string, unknown>,
  readTime: (text: string) => number,
): StoredStatistic {
  const calculated = row['calculation_timestamp'];
  return {
    positionId: String(row['position_id']),
    timestamp: readTime(String(row['timestamp'])),
    values: Object.fromEntries(
      METRIC_COLUMNS.map((column) => [column, optionalNumber(row, column)]),
    ) as Record<MetricColumn, number | null>,
    calculationTimestamp:
      calculated === null || calculated === undefined ? null : readTime(String(calculated)),
  };
}

/** Ascending and distinct; rows usually arrive in key order, so check before sorting. */
function sortedDistinct(list: number[]): number[] {
  let ordered = true;
  for (let i = 1; i < list.length && ordered; i++) ordered = list[i]! > list[i - 1]!;
  return ordered ? list : [...new Set(list)].sort((a, b) => a - b);
}
