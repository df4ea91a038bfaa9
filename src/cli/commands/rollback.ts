/** `lendstats rollback`: delete the statistics a selection names, after a confirmation. */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { applyRollback, checkSelection, planRollback } from '../../backfill/rollback.js';
import { LendstatsError } from '../../domain/errors.js';
import { formatTime } from '../../domain/time.js';
import { collect, timeArgument } from '../args.js';
import type { CliContext } from '../context.js';

interface RollbackFlags {
  position: string[];
  calculatedFrom?: number;
  calculatedTo?: number;
  start?: number;
  end?: number;
  all?: boolean;
  yes?: boolean;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description('delete stored statistics by position, calculation time or timestamp (asks first)')
    .option('--position <id-or-prefix>', 'rows of this position (repeatable)', collect, [])
    .option('--calculated-from <time>', 'rows calculated at or after', timeArgument)
    .option('--calculated-to <time>', 'rows calculated at or before', timeArgument)
    .option('--start <time>', 'rows with timestamp at or after', timeArgument)
    .option('--end <time>', 'rows with timestamp at or before', timeArgument)
    .option('--all', 'every row of position_statistics')
    .option('--yes', 'do not ask (scripts)')
    .option('--json', 'print one JSON document on stdout')
    .action(async function rollbackAction(flags: RollbackFlags) {
      const selection = {
        positions: flags.position,
        calculatedFrom: flags.calculatedFrom ?? null,
        calculatedTo: flags.calculatedTo ?? null,
        start: flags.start ?? null,
        end: flags.end ?? null,
        all: flags.all === true,
      };
      checkSelection(selection);
      const store = await ctx.openStore();
      try {
        const plan = await planRollback(store, selection);
        const lines = [`rollback would delete ${plan.total} rows:`];
        for (const [id, rows] of plan.rows) lines.push(`  ${id}: ${rows.length}`);
        ctx.stderr(`${lines.join('\n')}\n`);
        if (plan.total === 0) {
          if (flags.json) ctx.stdout(`${JSON.stringify({ deleted: 0, run_id: null })}\n`);
          return;
        }
        if (!flags.yes) await confirm(plan.total);

        const id = randomUUID();
        const args = {
          ...flags,
          calculatedFrom: time(flags.calculatedFrom),
          calculatedTo: time(flags.calculatedTo),
          start: time(flags.start),
          end: time(flags.end),
        };
        const deleted = await applyRollback(store, plan, { id, args, version: ctx.version });
        if (flags.json) ctx.stdout(`${JSON.stringify({ deleted, run_id: id })}\n`);
        else ctx.stdout(`deleted ${deleted} rows (recorded as run ${id})\n`);
      } finally {
        await store.close();
      }
    });
}

const time = (t: number | undefined): string | undefined =>
  t === undefined ? undefined : formatTime(t);

async function confirm(total: number): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      'rollback needs --yes when not run on a terminal; nothing was deleted',
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(`delete ${total} rows? type yes to confirm: `);
  prompt.close();
  if (answer.trim().toLowerCase() !== 'yes') {
    throw new LendstatsError('BAD_ARGUMENT', 'not confirmed; nothing was deleted');
  }
}
