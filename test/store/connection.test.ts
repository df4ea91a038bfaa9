import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LendstatsError } from '../../src/domain/errors.js';
import { maskUrl, openStore } from '../../src/store/connection.js';

const folder = mkdtempSync(join(tmpdir(), 'lendstats-connection-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function failure(target: string): Promise<LendstatsError> {
  const error = await openStore(target).then(
    async (store) => {
      await store.close();
      return null;
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LendstatsError);
  return error as LendstatsError;
}

describe('openStore', () => {
  it('refuses a SQLite file that does not exist and says how to create it', async () => {
    const path = join(folder, 'missing.db');
    const error = await failure(path);
    expect([error.code, error.message]).toEqual([
      'DATABASE_UNAVAILABLE',
      `database file ${path} does not exist; run \`lendstats import DIR\` first to create it`,
    ]);
  });

  it('creates a SQLite file (and its folder) when asked, in WAL mode', async () => {
    const store = await openStore(join(folder, 'new', 'lending.db'), { create: true });
    expect(store.dialect).toBe('sqlite');
    expect(store.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite!.pragma('foreign_keys', { simple: true })).toBe(0);
    await store.close();
  });

  it('refuses the Supabase transaction pooler before connecting', async () => {
    const url =
      'postgresql://postgres.abc:s3cret@aws-0-eu-west-1.pooler.supabase.com:6543/postgres';
    const error = await failure(url);
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.message).toBe(
      'postgresql://postgres.abc:***@aws-0-eu-west-1.pooler.supabase.com:6543/postgres is a ' +
        'Supabase transaction pooler (port 6543), where advisory locks and prepared statements ' +
        'do not hold; use the session pooler or the direct connection on port 5432',
    );
  });

  it('reports an unreachable server with the password masked', async () => {
    const error = await failure('postgres://lender:hunter2@127.0.0.1:1/lending');
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.message).toMatch(
      /^cannot connect to postgres:\/\/lender:\*\*\*@127\.0\.0\.1:1\/lending: /,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('masks only the password of a URL', () => {
    expect(maskUrl('postgres://u:p%40ss@db.example.com:5432/x?sslmode=require')).toBe(
      'postgres://u:***@db.example.com:5432/x?sslmode=require',
    );
    expect(maskUrl('postgres://u@db.example.com/x')).toBe('postgres://u@db.example.com/x');
  });
});
