/**
 * `lendstats import DIR`: loads whichever of the six table CSVs a folder holds, all in one
 * transaction. Every file is validated before the database is touched; any bad row means
 * nothing is written (and a database file this import created is removed again).
 */
import { existsSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../domain/errors.js';
import { isPostgresTarget, openStore } from '../store/connection.js';
import { migrate, type MigrationReport } from '../store/migrations.js';
import { TABLES, TABLE_NAMES, type TableName } from '../store/tables.js';
import { inTransaction } from '../store/transaction.js';
import { applyTable, type TableCounts } from './import-apply.js';
import { readTableFile, type ParsedTable } from './table-file.js';

export interface TableImport extends TableCounts {
  table: TableName;
  file: string;
  /** Data lines read, repeated keys included. */
  rows: number;
}

export interface ImportReport {
  /** The database as named in messages (password masked). */
  database: string;
  created: boolean;
  tables: TableImport[];
  /** Entries of the folder that are not table files. */
  skipped: string[];
  migration: MigrationReport;
  seconds: number;
}

interface TableFile {
  table: TableName;
  name: string;
  path: string;
}

export async function importFolder(dir: string, target: string): Promise<ImportReport> {
  const started = performance.now();
  const { files, skipped } = await findTableFiles(dir);
  const parsed: ParsedTable[] = [];
  for (const file of files)
    parsed.push(await readTableFile(TABLES[file.table], file.path, file.name));

  const created = !isPostgresTarget(target) && !existsSync(resolve(target));
  const store = await openStore(target, { create: true });
  let migration: MigrationReport;
  let counts: TableCounts[];
  try {
    migration = await migrate(store);
    counts = await inTransaction(store, async (db) => {
      const results: TableCounts[] = [];
      for (const table of parsed) results.push(await applyTable(store, db, table));
      return results;
    });
  } catch (error) {
    await store.close();
    if (created) removeSqliteFile(resolve(target));
    throw error;
  }
  await store.close();

  const tables = parsed.map((table, i) => ({
    table: table.spec.name,
    file: table.file,
    rows: table.rows.length + table.duplicates,
    ...counts[i]!,
  }));
  const seconds = (performance.now() - started) / 1000;
  return { database: store.target, created, tables, skipped, migration, seconds };
}

/** `<table>.csv` or `<table>.csv.gz` for each of the six tables; anything else is skipped. */
async function findTableFiles(dir: string): Promise<{ files: TableFile[]; skipped: string[] }> {
  const folder = resolve(dir);
  const info = await stat(folder).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new InputError(dir, null, null, 'is not a folder');
  }

  const entries = (await readdir(folder)).sort();
  const files: TableFile[] = [];
  const skipped: string[] = [];
  for (const name of entries) {
    const table = TABLE_NAMES.find(
      (candidate) => name === `${candidate}.csv` || name === `${candidate}.csv.gz`,
    );
    if (table === undefined) {
      skipped.push(name);
      continue;
    }
    const twin = files.find((file) => file.table === table);
    if (twin !== undefined) {
      throw new InputError(name, null, null, `and ${twin.name} both hold ${table}; keep one`);
    }
    files.push({ table, name, path: join(folder, name) });
  }

  if (files.length === 0) {
    const expected = TABLE_NAMES.map((table) => `${table}.csv`).join(', ');
    throw new InputError(
      dir,
      null,
      null,
      `holds none of the table files (${expected}, or .csv.gz)`,
    );
  }
  files.sort((a, b) => TABLE_NAMES.indexOf(a.table) - TABLE_NAMES.indexOf(b.table));
  return { files, skipped };
}

function removeSqliteFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}
