/** `lendstats backup [FILE]`: an online copy of a SQLite database, safe while others read. */
import type { Command } from 'commander';
import { backupDatabase } from '../../backfill/backup.js';
import type { CliContext } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description(
      'copy the SQLite database online (default: backups/ beside it); PostgreSQL: prints the pg_dump command',
    )
    .argument('[file]', 'where to write the copy')
    .action(async function backupAction(file: string | undefined) {
      const store = await ctx.openStore();
      try {
        ctx.stdout(`backup written to ${await backupDatabase(store, file)}\n`);
      } finally {
        await store.close();
      }
    });
}
