/** One handle on the database, SQLite file or PostgreSQL URL, behind the same kysely type. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type DatabaseConnection,
} from 'kysely';
import pg from 'pg';
import { LendstatsError } from '../domain/errors.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  dialect: Dialect;
  db: Kysely<Database>;
  /** The target for messages: a file path, or the URL with its password masked. */
  target: string;
  close(): Promise<void>;
  /** Raw handle for the fast paths (SQLite only). */
  sqlite?: BetterSqlite3.Database;
  /** The pool kysely draws from (PostgreSQL only). */
  pool?: pg.Pool;
}

export interface OpenOptions {
  /** Create a missing SQLite file (and its folder). PostgreSQL databases are never created. */
  create?: boolean;
}

const BUSY_TIMEOUT_MS = 10_000;

export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export async function openStore(target: string, opts: OpenOptions = {}): Promise<Store> {
  return isPostgresTarget(target) ? openPostgres(target) : openSqlite(target, opts);
}

function openSqlite(target: string, opts: OpenOptions): Store {
  const path = resolve(target);
  if (!existsSync(path)) {
    if (!opts.create) {
      throw new LendstatsError(
        'DATABASE_UNAVAILABLE',
        `database file ${path} does not exist; run \`lendstats import DIR\` first to create it`,
      );
    }
    mkdirSync(dirname(path), { recursive: true });
  }

  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = OFF');
  } catch (error) {
    throw new LendstatsError('DATABASE_UNAVAILABLE', `cannot open ${path}: ${messageOf(error)}`);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    dialect: 'sqlite',
    db,
    target: path,
    sqlite,
    close: () => db.destroy(),
  };
}

async function openPostgres(target: string): Promise<Store> {
  const masked = maskUrl(target);
  refuseTransactionPooler(target, masked);

  const pool = new pg.Pool({ connectionString: target, types: { getTypeParser } });
  // An idle client losing its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new LendstatsError(
      'DATABASE_UNAVAILABLE',
      `cannot connect to ${masked}: ${messageOf(error)}`,
    );
  }

  // Timestamps are read as text and parsed as UTC by us; the session zone only matters for now().
  const onCreateConnection = async (connection: DatabaseConnection): Promise<void> => {
    await connection.executeQuery(CompiledQuery.raw('SET TIME ZONE UTC'));
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, onCreateConnection }) });
  return { dialect: 'postgres', db, target: masked, pool, close: () => db.destroy() };
}

const NUMERIC_OIDS = [20, 21, 23, 700, 701, 1700];
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;

/** NUMERIC, INT8 and floats as JS numbers; TIMESTAMP as its text, never through local time. */
function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (format !== 'binary') {
    if (NUMERIC_OIDS.includes(oid)) return Number;
    if (oid === TIMESTAMP_OID) return (value: string) => value;
    if (oid === TIMESTAMPTZ_OID) return readTimestamptz;
  }
  return pg.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text');
}

/** `2026-06-03 00:00:00+00` (session zone UTC) -> `2026-06-03 00:00:00+00:00`, which parseTime reads. */
function readTimestamptz(value: string): string {
  return /[+-]\d{2}$/.test(value) ? `${value}:00` : value;
}

/**
 * Supabase's transaction pooler (port 6543) hands each statement to any server session, so a
 * session advisory lock or a prepared statement does not survive to the next statement.
 */
function refuseTransactionPooler(target: string, masked: string): void {
  const url = parseUrl(target);
  if (url === null || url.port !== '6543') return;
  const host = url.hostname.includes('pooler.supabase.com') ? 'Supabase ' : '';
  throw new LendstatsError(
    'DATABASE_UNAVAILABLE',
    `${masked} is a ${host}transaction pooler (port 6543), where advisory locks and prepared ` +
      'statements do not hold; use the session pooler or the direct connection on port 5432',
  );
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function maskUrl(target: string): string {
  const url = parseUrl(target);
  if (url === null) return target.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:***@');
  if (url.password !== '') url.password = '***';
  return url.toString();
}

function parseUrl(target: string): URL | null {
  try {
    return new URL(target);
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
