/** One write transaction in either dialect; all or nothing. */
import type { Kysely } from 'kysely';
import type { Store } from './connection.js';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction and commits when it resolves, rolls back when it throws.
 * On SQLite the transaction is taken with BEGIN IMMEDIATE on the single connection, so raw
 * `store.sqlite` statements inside `work` belong to it too; other code must not use the store
 * concurrently meanwhile.
 */
export async function inTransaction<T>(
  store: Store,
  work: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (store.sqlite === undefined) {
    return store.db.transaction().execute(work);
  }

  const sqlite = store.sqlite;
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await work(store.db);
    sqlite.exec('COMMIT');
    return result;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}
