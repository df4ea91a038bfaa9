/** `lendstats backfill`: fill every hole of position_statistics (SPEC-backfill.md). */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { backupDatabase } from '../../backfill/backup.js';
import { recordedBackfill } from '../../backfill/recorded-run.js';
import { dryRunReport, planBackfill } from '../../backfill/run.js';
import { DEFAULT_BATCH_SIZE, type BackfillEvent } from '../../backfill/types.js';
import { formatTime } from '../../domain/time.js';
import {
  collect,
  integerArgument,
  numberArgument,
  samplingArgument,
  timeArgument,
} from '../args.js';
import { resolveOptions, type BackfillFlags } from '../backfill-options.js';
import { dryRunJson, dryRunText, runJson, runText } from '../backfill-output.js';
import type { CliContext } from '../context.js';
import { DEFAULT_LOG_DIR, openRunLog, type RunLog } from '../logging.js';
import { createProgress } from '../progress.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('compute and store every missing statistic; safe to run again at any time')
    .option('--dry-run', 'plan only: print counts per position, write nothing')
    .option('--position <id-or-prefix>', 'only this position (repeatable)', collect, [])
    .option('--start <time>', 'earliest timestamp to plan (inclusive)', timeArgument)
    .option('--end <time>', 'latest timestamp to plan (inclusive)', timeArgument)
    .option('--now <time>', 'the moment treated as now (default: wall clock)', timeArgument)
    .option('--sampling <mode>', 'adaptive | snapshots (default: adaptive)', samplingArgument)
    .option('--force', 'recompute and overwrite stored rows in the range')
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option('--max-failure-rate <share>', 'exit 1 above this share', numberArgument(0, 1), 0.1)
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--verify-sample <n>', 'stored rows to recompute', integerArgument(0), 50)
    .option(
      '--batch-size <rows>',
      'rows per write transaction',
      integerArgument(1),
      DEFAULT_BATCH_SIZE,
    )
    .option('--seed <n>', 'seed of the verification sample (default: random)', integerArgument(0))
    .option('--log-dir <dir>', 'folder of the run log', DEFAULT_LOG_DIR)
    .option('--since-last', 'plan only from the now of the last done run minus --lookback')
    .option(
      '--lookback <hours>',
      'how far before the last done run --since-last starts',
      numberArgument(0),
      24,
    )
    .option(
      '--retry-failed [run-id]',
      'plan exactly the failed pairs of a run (default: the latest)',
    )
    .option('--backup', 'take a backup of the database before writing (SQLite)')
    .action(async function backfillAction(flags: BackfillFlags) {
      await backfill(ctx, flags);
    });
}

async function backfill(ctx: CliContext, flags: BackfillFlags): Promise<void> {
  const store = await ctx.openStore();
  try {
    const { options, notes, retryOf } = await resolveOptions(
      store,
      flags,
      Math.floor(Date.now() / 1000),
    );
    for (const note of notes) ctx.stderr(`${note}\n`);
    if (options.dryRun) {
      const { plans } = await planBackfill(store, options);
      const report = dryRunReport(options, plans);
      ctx.stdout(
        flags.json ? `${JSON.stringify(dryRunJson(report))}\n` : `${dryRunText(report)}\n`,
      );
      return;
    }
    if (flags.backup) ctx.stderr(`backup: ${await backupDatabase(store, undefined)}\n`);

    const runId = randomUUID();
    const log = openRunLog('backfill', { dir: flags.logDir });
    log.logger.info(
      { runId, options: { ...options, explicit: undefined, now: formatTime(options.now) } },
      'backfill started',
    );
    const stop = stopOnSignals(ctx);
    try {
      const run = await recordedBackfill(
        store,
        options,
        progressListener(ctx, log, flags.json === true),
        { runId, shouldStop: stop.requested, ...batchPause(ctx.env['LENDSTATS_BATCH_PAUSE_MS']) },
        {
          args: argsOf(flags),
          logFile: log.path,
          version: ctx.version,
          retryOf,
          maxFailureRate: flags.maxFailureRate,
        },
      );
      for (const old of run.interrupted) {
        ctx.stderr(
          `run ${old.id} (started ${formatTime(old.startedAt)}) was still marked running: now interrupted\n`,
        );
      }
      const { report } = run;
      log.logger.info(
        {
          runId,
          status: run.status,
          planned: report.planned,
          saved: report.saved,
          failed: report.failed,
          staleRates: report.staleRates,
          seconds: report.seconds,
          verification: report.verification,
        },
        'backfill finished',
      );
      ctx.stdout(
        flags.json
          ? `${JSON.stringify({ run_id: runId, status: run.status, ...(runJson(report, log.path) as object) })}\n`
          : `run: ${runId} (${run.status})\n${runText(report, log.path)}\n`,
      );
      const failureRate = report.planned === 0 ? 0 : report.failed / report.planned;
      if (failureRate > flags.maxFailureRate) {
        ctx.stderr(
          `failure rate ${(failureRate * 100).toFixed(2)}% is above --max-failure-rate ${flags.maxFailureRate * 100}%\n`,
        );
        ctx.setExitCode(1);
      }
      if (run.status === 'interrupted') ctx.setExitCode(1);
      if (report.verification !== null && !report.verification.passed) ctx.setExitCode(1);
    } catch (error) {
      log.logger.error({ err: error }, 'backfill stopped by an error');
      throw error;
    } finally {
      stop.dispose();
      log.close();
    }
  } finally {
    await store.close();
  }
}

function argsOf(flags: BackfillFlags): Record<string, unknown> {
  const time = (t: number | undefined): string | undefined =>
    t === undefined ? undefined : formatTime(t);
  return { ...flags, start: time(flags.start), end: time(flags.end), now: time(flags.now) };
}

/** The first SIGINT/SIGTERM asks the run to stop after its current batch; a second one exits. */
function stopOnSignals(ctx: CliContext): { requested: () => boolean; dispose: () => void } {
  let requested = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) process.exit(130);
    requested = true;
    ctx.stderr(`\n${signal}: stopping after the current batch (again to quit at once)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requested,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Progress on stderr (bar or lines) and one log line per position and per failure. */
function progressListener(
  ctx: CliContext,
  log: RunLog,
  quiet: boolean,
): (event: BackfillEvent) => void {
  const progress = createProgress({ tty: ctx.stderrIsTty });
  let total = 0;
  let barRunning = false;
  return (event) => {
    switch (event.type) {
      case 'phase':
        log.logger.info({ phase: event.phase }, event.detail);
        if (barRunning) {
          progress.stop();
          barRunning = false;
        }
        if (!quiet) ctx.stderr(`${event.phase}: ${event.detail}\n`);
        if (event.phase === 'execution') {
          progress.start(total, 'statistics');
          barRunning = true;
        }
        break;
      case 'planned':
        log.logger.info({ planned: event.total, positions: event.positions }, 'planned');
        total = event.total;
        break;
      case 'position':
        log.logger.info(event, 'position');
        progress.increment(event.planned);
        break;
      case 'failure':
        log.logger.warn(
          {
            positionId: event.failure.positionId,
            timestamp:
              event.failure.timestamp === null ? null : formatTime(event.failure.timestamp),
          },
          event.failure.reason,
        );
        break;
      default:
        break;
    }
  };
}

/** LENDSTATS_BATCH_PAUSE_MS: a pause after each committed batch, so tests can kill a run mid-way. */
function batchPause(value: string | undefined): { afterBatch?: () => Promise<void> } {
  const ms = Number(value);
  if (value === undefined || !Number.isFinite(ms) || ms <= 0) return {};
  return { afterBatch: () => new Promise((resolve) => setTimeout(resolve, ms)) };
}
