/** A cheap "has anything changed" probe, so that the server can keep reference data in memory. */
import type { Store } from './connection.js';

/**
 * SQLite's data_version changes whenever another connection commits to the file (this
 * connection's own writes do not change it). PostgreSQL has no per-database equivalent that is
 * both cheap and exact, so it returns null: callers reload every time.
 */
export function dataVersion(store: Store): string | null {
  if (store.sqlite === undefined) return null;
  return String(store.sqlite.pragma('data_version', { simple: true }));
}
