/** Cheap "has anything changed" probes, so that the server can keep reference data in memory. */
import { sql } from 'kysely';
import type { Store } from './connection.js';

/**
 * SQLite's data_version changes whenever another connection commits to the file (this
 * connection's own writes do not change it). PostgreSQL has no such counter: null.
 */
export function dataVersion(store: Store): string | null {
  if (store.sqlite === undefined) return null;
  return String(store.sqlite.pragma('data_version', { simple: true }));
}

/**
 * A token of the positions and position_rebalances tables that changes with every insert, update
 * or delete: the row count and the newest row version's transaction id (xmin) of each. Both
 * tables are small, so the scan is cheap; rates_snapshot is not, and gets no token.
 */
export async function positionTablesVersion(store: Store): Promise<string> {
  const token = (table: 'positions' | 'position_rebalances') =>
    sql<string>`(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${sql.table(table)})`;
  const result = await sql<{
    token: string;
  }>`SELECT ${token('positions')} || '/' || ${token('position_rebalances')} AS token`.execute(
    store.db,
  );
  return result.rows[0]!.token;
}
