/** Online backups: SQLite through the driver's backup API; PostgreSQL gets the pg_dump command. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LendstatsError } from '../domain/errors.js';
import type { Store } from '../store/connection.js';

/** `<db folder>/backups/<db name>_YYYYMMDD_HHMMSS.db` */
export function defaultBackupPath(dbPath: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_');
  const name = dbPath.replace(/^.*\//, '').replace(/\.db$/, '');
  return resolve(dirname(dbPath), 'backups', `${name}_${stamp}.db`);
}

/**
 * Copies the database while other connections read and write it (SQLite's online backup
 * copies a consistent snapshot). Returns the backup's path.
 */
export async function backupDatabase(store: Store, file: string | undefined): Promise<string> {
  if (store.sqlite === undefined) {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      'lendstats backs up SQLite files only; on PostgreSQL take a dump of the statistics with\n' +
        `  pg_dump --data-only --table=position_statistics --file=position_statistics.sql "${store.target}"\n` +
        '(give the password through PGPASSWORD or ~/.pgpass), and restore it with psql.',
    );
  }
  const path = resolve(file ?? defaultBackupPath(store.target, new Date()));
  mkdirSync(dirname(path), { recursive: true });
  await store.sqlite.backup(path);
  return path;
}
