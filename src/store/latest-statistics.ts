/**
 * The dashboard's query: for every position, the latest stored statistic at or before T, in one
 * statement driven by `positions` (one index seek per position). docs/API.md shows the plans.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { formatTime } from '../domain/time.js';
import { METRIC_COLUMNS, type MetricColumn } from '../domain/types.js';
import type { Dialect, Store } from './connection.js';
import { cachedTimeReader, optionalNumber } from './row-reader.js';
import type { StoredStatistic } from './statistics.js';

const COLUMNS = ['position_id', 'timestamp', ...METRIC_COLUMNS, 'calculation_timestamp'];

/**
 * SQLite has no LATERAL: a correlated MAX() on the (position_id, timestamp) index finds the time,
 * and the same unique index fetches the row. CROSS JOIN pins positions as the outer loop: without
 * ANALYZE statistics SQLite's planner otherwise scans every statistic row instead. PostgreSQL
 * walks that index backwards once per position through LATERAL ... LIMIT 1.
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
    `SELECT ${list} FROM positions p CROSS JOIN position_statistics s ` +
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
      ? (sqliteStatement(store.sqlite).all(bound) as unknown[][])
      : (
          await store.pool!.query<unknown[]>({
            text: latestStatisticsSql('postgres'),
            values: [bound],
            rowMode: 'array',
          })
        ).rows;

  const readTime = cachedTimeReader();
  const latest = new Map<string, StoredStatistic>();
  for (const row of rows) {
    const stat = toStatistic(row, readTime);
    if (stat.timestamp <= at) latest.set(stat.positionId, stat);
  }
  return latest;
}

/** The statement is prepared once per connection: preparing costs as much as a third of a run. */
const statements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

function sqliteStatement(sqlite: BetterSqlite3.Database): BetterSqlite3.Statement {
  let statement = statements.get(sqlite);
  if (statement === undefined) {
    statement = sqlite.prepare(latestStatisticsSql('sqlite')).raw(true);
    statements.set(sqlite, statement);
  }
  return statement;
}

/** One row in COLUMNS order, into objects of one fixed shape. */
function toStatistic(row: unknown[], readTime: (text: string) => number): StoredStatistic {
  const calculated = row[12];
  return {
    positionId: String(row[0]),
    timestamp: readTime(String(row[1])),
    values: {
      total_pnl: metric(row[2], 'total_pnl'),
      total_earnings: metric(row[3], 'total_earnings'),
      base_earnings: metric(row[4], 'base_earnings'),
      reward_earnings: metric(row[5], 'reward_earnings'),
      total_fees: metric(row[6], 'total_fees'),
      current_value: metric(row[7], 'current_value'),
      realized_apr: metric(row[8], 'realized_apr'),
      current_apr: metric(row[9], 'current_apr'),
      live_pnl: metric(row[10], 'live_pnl'),
      realized_pnl: metric(row[11], 'realized_pnl'),
    },
    calculationTimestamp:
      calculated === null || calculated === undefined ? null : readTime(String(calculated)),
  };
}

function metric(value: unknown, column: MetricColumn): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return optionalNumber({ [column]: value }, column);
}
