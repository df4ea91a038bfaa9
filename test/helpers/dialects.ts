/**
 * The database dialects a store test runs on, for `describe.each(DIALECTS)`: SQLite (temp files)
 * always; PostgreSQL when LENDSTATS_TEST_PG_URL names a server, each target a fresh database that
 * is dropped after the file. Without the URL the PostgreSQL half fails on CI and is skipped
 * elsewhere (the notice is printed once by test/helpers/pg-notice.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export type DialectName = 'sqlite' | 'postgres';

export interface TestDialect {
  name: DialectName;
}

export const PG_URL_VARIABLE = 'LENDSTATS_TEST_PG_URL';

const pgUrl = process.env[PG_URL_VARIABLE];
/**
 * Off CI without a server URL the PostgreSQL suites are not declared at all (the global setup
 * prints the notice): their `beforeAll` hooks would otherwise try to connect. On CI they are
 * always declared, and fail in `useDialect` when the URL is missing.
 */
const withPostgres = (pgUrl !== undefined && pgUrl !== '') || process.env['CI'] === 'true';

export const DIALECTS: readonly TestDialect[] = withPostgres
  ? [{ name: 'sqlite' }, { name: 'postgres' }]
  : [{ name: 'sqlite' }];

export interface DialectTargets {
  /** A new, empty database: a SQLite file path or a postgres:// URL. */
  fresh(): Promise<string>;
}

/** Registers the hooks of one dialect's suite; call at the top of the describe body. */
export function useDialect(dialect: TestDialect): DialectTargets {
  const serverUrl = process.env[PG_URL_VARIABLE];
  const missing = dialect.name === 'postgres' && (serverUrl === undefined || serverUrl === '');
  const created: string[] = [];
  let folder: string | null = null;
  let count = 0;

  beforeAll(() => {
    if (missing && process.env['CI'] === 'true') {
      throw new Error(`${PG_URL_VARIABLE} is not set: on CI the PostgreSQL half must run`);
    }
  });
  beforeEach((context) => {
    if (missing) context.skip(`PostgreSQL tests need ${PG_URL_VARIABLE}`);
  });
  afterAll(async () => {
    if (folder !== null) rmSync(folder, { recursive: true, force: true });
    if (created.length > 0) await dropDatabases(serverUrl!, created);
  });

  return {
    async fresh() {
      count += 1;
      if (dialect.name === 'sqlite') {
        folder ??= mkdtempSync(join(tmpdir(), 'lendstats-test-'));
        return join(folder, `db-${count}.db`);
      }
      const name = `lendstats_test_${process.pid}_${Date.now()}_${count}`;
      await adminQuery(serverUrl!, `CREATE DATABASE ${name}`);
      created.push(name);
      return databaseUrl(serverUrl!, name);
    },
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function dropDatabases(serverUrl: string, names: readonly string[]): Promise<void> {
  for (const name of names)
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
