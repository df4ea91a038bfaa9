/**
 * The dashboard's query: for every position, the latest stored statistic at or before T, in one
 * statement driven by `positions` (one index seek per position). docs/API.md shows the plans.
 */
import { formatTime } from '../domain/time.js';
import { METRIC_COLUMNS } from '../domain/types.js';
import type { Dialect, Store } from './connection.js';
import { cachedTimeReader } from './row-reader.js';
import { toStoredStatistic, type StoredStatistic } from './statistics.js';

const COLUMNS = ['position_id', 'timestamp', ...METRIC_COLUMNS, 'calculation_timestamp'];

/**
 * SQLite has no LATERAL: a correlated MAX() on the (position_id, timestamp) index finds the time,
 * and the same unique index fetches the row. PostgreSQL walks that index backwards once per
 * position through LATERAL ... LIMIT 1.
 */
export function latestStatisticsSql(dialect: Dialect): string {
  const list = COLUMNS.map((column) => `s.${column} AS ${column}`).join(', ');
  if (dialect === 'postgres') {
    return (
      `SELECT ${list} FROM positions p CROSS JOIN LATERAL (` +
      'SELECT * FROM position_statistics i WHERE i.position_id = p.position_id ' +
      'AND i.timestamp <= $1::timestamp ORDER BY i.timestamp DESC LIMIT 1) s'
    );
  }
  return (
    `SELECT ${list} FROM positions p JOIN position_statistics s ` +
    'ON s.position_id = p.position_id AND s.timestamp = (' +
    'SELECT max(i.timestamp) FROM position_statistics i ' +
    'WHERE i.position_id = p.position_id AND i.timestamp <= ?)'
  );
}

/**
 * The latest row at or before `at` per position. On SQLite the comparison is on the stored text:
 * exact for `YYYY-MM-DD HH:MM:SS` stamps (what lendstats writes). A stamp spelled with `T` or an
 * offset can be passed over, or compare before `at` while meaning a later instant; the second
 * kind is dropped here, so such a position shows an older row or none, never a later one.
 */
export async function loadLatestStatistics(
  store: Store,
  at: number,
): Promise<Map<string, StoredStatistic>> {
  const bound = formatTime(at);
  const rows =
    store.sqlite !== undefined
      ? (store.sqlite.prepare(latestStatisticsSql('sqlite')).all(bound) as Record<
          string,
          unknown
        >[])
      : (await store.pool!.query(latestStatisticsSql('postgres'), [bound])).rows;

  const readTime = cachedTimeReader();
  const latest = new Map<string, StoredStatistic>();
  for (const row of rows) {
    const stat = toStoredStatistic(row, readTime);
    if (stat.timestamp <= at) latest.set(stat.positionId, stat);
  }
  return latest;
}
