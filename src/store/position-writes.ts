/**
 * The writes of the positions lifecycle, on the caller's transaction (`db`): the positions row,
 * its segment rows, and the stored statistics a backdated change makes wrong.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';

import { formatTime } from '../domain/time.js';
import { statisticColumns, type Statistic } from '../domain/types.js';
import type { Dialect } from './connection.js';
import { lowerKeys } from './normalize.js';
import { cachedTimeReader } from './row-reader.js';
import type { Database, PositionRebalancesTable, PositionsTable } from './schema.js';

export type PositionValues = Insertable<PositionsTable>;
export type PositionChanges = Updateable<PositionsTable>;
export type SegmentValues = Insertable<PositionRebalancesTable>;

/** The positions row with lower-case keys, locked for the transaction on PostgreSQL. */
export async function readPositionRow(
  db: Kysely<Database>,
  dialect: Dialect,
  positionId: string,
): Promise<Record<string, unknown> | null> {
  let query = db.selectFrom('positions').selectAll().where('position_id', '=', positionId);
  // SQLite's BEGIN IMMEDIATE already holds the only write lock.
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? null : lowerKeys(row);
}

export async function insertPosition(db: Kysely<Database>, values: PositionValues): Promise<void> {
  await db.insertInto('positions').values(values).execute();
}

export async function updatePosition(
  db: Kysely<Database>,
  positionId: string,
  changes: PositionChanges,
): Promise<void> {
  await db.updateTable('positions').set(changes).where('position_id', '=', positionId).execute();
}

export async function insertSegment(db: Kysely<Database>, values: SegmentValues): Promise<void> {
  await db.insertInto('position_rebalances').values(values).execute();
}

/** A stored statistic's time, as an instant and as the text that names the row. */
export interface StoredTime {
  at: number;
  stored: string;
}

/** The position's stored statistic times at or after `from`, ascending. */
export async function statisticTimesFrom(
  db: Kysely<Database>,
  positionId: string,
  from: number,
): Promise<StoredTime[]> {
  const rows = await db
    .selectFrom('position_statistics')
    .select('timestamp as timestamp')
    .where('position_id', '=', positionId)
    .execute();
  const readTime = cachedTimeReader();
  return rows
    .map((row) => ({ at: readTime(row.timestamp), stored: row.timestamp }))
    .filter((row) => row.at >= from)
    .sort((a, b) => a.at - b.at);
}

/** Overwrites the metrics of the stored row named by its own timestamp text. */
export async function rewriteStatistic(
  db: Kysely<Database>,
  row: StoredTime,
  stat: Statistic,
  calculationTimestamp: number,
): Promise<void> {
  await db
    .updateTable('position_statistics')
    .set({ ...statisticColumns(stat), calculation_timestamp: formatTime(calculationTimestamp) })
    .where('position_id', '=', stat.positionId)
    .where('timestamp', '=', row.stored)
    .execute();
}

export async function deleteStatistic(
  db: Kysely<Database>,
  positionId: string,
  row: StoredTime,
): Promise<void> {
  await db
    .deleteFrom('position_statistics')
    .where('position_id', '=', positionId)
    .where('timestamp', '=', row.stored)
    .execute();
}
