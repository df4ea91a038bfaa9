/** What every command gets from main: the database target, output streams, the exit code. */
import type { Command } from 'commander';
import { openStore, type Store } from '../store/connection.js';
import { LendstatsError } from '../domain/errors.js';
import { listColumns } from '../store/introspect.js';
import { migrate } from '../store/migrations.js';

export const DEFAULT_DB = 'data/lending_rates.db';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTty: boolean;
}

export interface CliContext extends CliIo {
  version: string;
  /** `--db`, else `DATABASE_URL`, else `data/lending_rates.db`. */
  dbTarget(): string;
  /** Opens the `--db` database and migrates it, so existing databases work as they are. */
  openStore(opts?: { create?: boolean }): Promise<Store>;
  /** Raises the process's exit code (the highest one set wins). */
  setExitCode(code: number): void;
  exitCode(): number;
}

/** One command module: declares itself on the program; its action does the work. */
export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}

export function createContext(program: Command, io: CliIo, version: string): CliContext {
  let code = 0;
  const ctx: CliContext = {
    ...io,
    version,
    dbTarget() {
      const option = program.opts<{ db?: string }>().db;
      const fromEnv = io.env['DATABASE_URL'];
      return option ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_DB : fromEnv);
    },
    async openStore(opts = {}) {
      const store = await openStore(ctx.dbTarget(), opts);
      try {
        if (!opts.create) await requireInitialised(store);
        await migrate(store);
      } catch (error) {
        await store.close();
        throw error;
      }
      return store;
    },
    setExitCode(next) {
      code = Math.max(code, next);
    },
    exitCode: () => code,
  };
  return ctx;
}

/**
 * Commands other than the loaders refuse a database without the tables of SCHEMA.md (an empty
 * file, a wrong URL) instead of creating them and reporting success on nothing.
 */
async function requireInitialised(store: Store): Promise<void> {
  for (const table of ['positions', 'rates_snapshot'] as const) {
    if ((await listColumns(store.db, store.dialect, table)).size === 0) {
      throw new LendstatsError(
        'DATABASE_UNAVAILABLE',
        `database ${store.target} is not initialised (no ${table} table); ` +
          'load it with `lendstats import DIR` first',
      );
    }
  }
}
