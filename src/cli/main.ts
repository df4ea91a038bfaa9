/** The command line: global options, the list of commands, and one place that maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { LendstatsError, type ErrorCode } from '../domain/errors.js';
import { TimeFormatError } from '../domain/time.js';
import * as backfillCommand from './commands/backfill.js';
import * as backupCommand from './commands/backup.js';
import * as importCommand from './commands/import.js';
import * as importRatesCommand from './commands/import-rates.js';
import * as positionCommand from './commands/position.js';
import * as refreshCommand from './commands/refresh.js';
import * as rollbackCommand from './commands/rollback.js';
import * as runsCommand from './commands/runs.js';
import * as serveCommand from './commands/serve.js';
import * as statsCommand from './commands/stats.js';
import * as verifyCommand from './commands/verify.js';
import { createContext, type CliIo, type CommandModule } from './context.js';
import { packageVersion } from './version.js';

/** One line per command; each module declares its own options. */
const COMMANDS: readonly CommandModule[] = [
  importCommand,
  backfillCommand,
  statsCommand,
  verifyCommand,
  serveCommand,
  refreshCommand,
  importRatesCommand,
  positionCommand,
  runsCommand,
  rollbackCommand,
  backupCommand,
];

/** Errors that mean "fix the invocation, the input or the database", not "the run failed". */
const USAGE_CODES: readonly ErrorCode[] = [
  'BAD_INPUT',
  'BAD_ARGUMENT',
  'UNKNOWN_POSITION',
  'AMBIGUOUS_POSITION',
  'DATABASE_UNAVAILABLE',
  'DATABASE_BUSY',
];

const USAGE_EXIT = 2;

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and returns the exit code. */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
    ...io,
  };
  const version = packageVersion();
  const program = new Command('lendstats')
    .description('Exact, complete position statistics for leveraged lending positions on Sui')
    .option(
      '--db <path|url>',
      'SQLite file or postgres:// URL (default: $DATABASE_URL, then data/lending_rates.db)',
    )
    .version(version, '--version')
    .exitOverride()
    .configureOutput({ writeOut: fullIo.stdout, writeErr: fullIo.stderr })
    .showHelpAfterError('(run with --help for usage)');
  const ctx = createContext(program, fullIo, version);
  for (const command of COMMANDS) command.register(program, ctx);

  let code: number;
  try {
    await program.parseAsync(argv);
    code = ctx.exitCode();
  } catch (error) {
    code = exitCodeOf(error, fullIo);
  }
  process.exitCode = code;
  return code;
}

function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (help, version or the usage error).
    return error.exitCode === 0 ? 0 : USAGE_EXIT;
  }
  if (error instanceof LendstatsError) {
    // A typed error says what went wrong and what to do; a stack trace would only hide that.
    io.stderr(`error: ${error.message}\n`);
    return USAGE_CODES.includes(error.code) ? USAGE_EXIT : 1;
  }
  if (error instanceof TimeFormatError) {
    io.stderr(`error: ${error.message}\n`);
    return USAGE_EXIT;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`error: ${detail}\n`);
  return 1;
}
