/** `lendstats backfill`: fill every hole of position_statistics (SPEC-backfill.md). */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { dryRunReport, planBackfill, runBackfill } from '../../backfill/run.js';
import type { BackfillEvent, BackfillOptions } from '../../backfill/types.js';
import type { Sampling } from '../../domain/plan.js';
import { formatTime, HOUR } from '../../domain/time.js';
import {
  collect,
  integerArgument,
  numberArgument,
  samplingArgument,
  timeArgument,
} from '../args.js';
import { dryRunJson, dryRunText, runJson, runText } from '../backfill-output.js';
import type { CliContext } from '../context.js';
import { DEFAULT_LOG_DIR, openRunLog, type RunLog } from '../logging.js';
import { createProgress } from '../progress.js';

interface BackfillFlags {
  dryRun?: boolean;
  position: string[];
  start?: number;
  end?: number;
  now?: number;
  sampling: Sampling;
  force?: boolean;
  json?: boolean;
  maxFailureRate: number;
  maxRateAge: number;
  verifySample: number;
  batchSize: number;
  seed?: number;
  logDir: string;
}

/** Rows per write transaction: large enough that commits cost little, small enough to bound loss. */
export const DEFAULT_BATCH_SIZE = 50_000;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('compute and store every missing statistic; safe to run again at any time')
    .option('--dry-run', 'plan only: print counts per position, write nothing')
    .option('--position <id-or-prefix>', 'only this position (repeatable)', collect, [])
    .option('--start <time>', 'earliest timestamp to plan (inclusive)', timeArgument)
    .option('--end <time>', 'latest timestamp to plan (inclusive)', timeArgument)
    .option('--now <time>', 'the moment treated as now (default: wall clock)', timeArgument)
    .option('--sampling <mode>', 'adaptive | snapshots', samplingArgument, 'adaptive')
    .option('--force', 'recompute and overwrite stored rows in the range')
    .option('--json', 'print one JSON document on stdout, nothing else there')
    .option(
      '--max-failure-rate <share>',
      'exit 1 above this share of failures',
      numberArgument(0, 1),
      0.1,
    )
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option(
      '--verify-sample <n>',
      'stored rows to recompute in verification',
      integerArgument(0),
      50,
    )
    .option(
      '--batch-size <rows>',
      'rows per write transaction',
      integerArgument(1),
      DEFAULT_BATCH_SIZE,
    )
    .option('--seed <n>', 'seed of the verification sample (default: random)', integerArgument(0))
    .option('--log-dir <dir>', 'folder of the run log', DEFAULT_LOG_DIR)
    .action(async function backfillAction(flags: BackfillFlags) {
      await backfill(ctx, flags);
    });
}

async function backfill(ctx: CliContext, flags: BackfillFlags): Promise<void> {
  const options: BackfillOptions = {
    now: flags.now ?? Math.floor(Date.now() / 1000),
    sampling: flags.sampling,
    positions: flags.position,
    start: flags.start ?? null,
    end: flags.end ?? null,
    force: flags.force === true,
    dryRun: flags.dryRun === true,
    maxRateAgeSeconds: flags.maxRateAge * HOUR,
    verifySample: flags.verifySample,
    batchSize: flags.batchSize,
    seed: flags.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
  const store = await ctx.openStore();
  try {
    if (options.dryRun) {
      const { plans } = await planBackfill(store, options);
      const report = dryRunReport(options, plans);
      ctx.stdout(
        flags.json ? `${JSON.stringify(dryRunJson(report))}\n` : `${dryRunText(report)}\n`,
      );
      return;
    }

    const runId = randomUUID();
    const log = openRunLog('backfill', { dir: flags.logDir });
    log.logger.info(
      { runId, options: { ...options, now: formatTime(options.now) } },
      'backfill started',
    );
    const listener = progressListener(ctx, log, flags.json === true);
    try {
      const report = await runBackfill(store, options, listener, {
        runId,
        ...batchPause(ctx.env['LENDSTATS_BATCH_PAUSE_MS']),
      });
      log.logger.info(
        {
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
          ? `${JSON.stringify(runJson(report, log.path))}\n`
          : `${runText(report, log.path)}\n`,
      );
      const failureRate = report.planned === 0 ? 0 : report.failed / report.planned;
      if (failureRate > flags.maxFailureRate) {
        ctx.stderr(
          `failure rate ${(failureRate * 100).toFixed(2)}% is above --max-failure-rate ${flags.maxFailureRate * 100}%\n`,
        );
        ctx.setExitCode(1);
      }
      if (report.verification !== null && !report.verification.passed) ctx.setExitCode(1);
    } catch (error) {
      log.logger.error({ err: error }, 'backfill stopped by an error');
      throw error;
    } finally {
      log.close();
    }
  } finally {
    await store.close();
  }
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
