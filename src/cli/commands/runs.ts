/** `lendstats runs [--json]` and `lendstats runs show ID`: the run ledger. */
import type { Command } from 'commander';
import { formatTime } from '../../domain/time.js';
import { LendstatsError } from '../../domain/errors.js';
import { findRun, listRunFailures, listRuns, type RunRecord } from '../../store/run-history.js';
import { integerArgument } from '../args.js';
import type { CliContext } from '../context.js';

const time = (t: number | null | undefined): string | null =>
  t === null || t === undefined ? null : formatTime(t);

function runJson(run: RunRecord) {
  return {
    id: run.id,
    kind: run.kind ?? 'backfill',
    status: run.status,
    started_at: time(run.startedAt),
    ended_at: time(run.endedAt),
    now: time(run.now),
    sampling: run.sampling,
    planned: run.planned,
    saved: run.saved,
    failed: run.failed,
    stale_rates: run.staleRates,
    deleted: run.deleted ?? null,
    retry_of: run.retryOf ?? null,
    log_file: run.logFile,
    version: run.version ?? null,
    args: run.args === null ? null : (JSON.parse(run.args) as unknown),
    message: run.message,
  };
}

export function register(program: Command, ctx: CliContext): void {
  const runs = program
    .command('runs')
    .description('list backfill and rollback runs, newest first')
    .option('--json', 'print one JSON document on stdout')
    .option('--limit <n>', 'how many runs', integerArgument(1), 50)
    .action(async function listAction(flags: { json?: boolean; limit: number }) {
      const store = await ctx.openStore();
      try {
        const list = await listRuns(store, flags.limit);
        if (flags.json) {
          ctx.stdout(`${JSON.stringify({ runs: list.map(runJson) })}\n`);
          return;
        }
        const lines = [
          'id                                    kind      status       started              now                  planned    saved  failed',
        ];
        for (const run of list) {
          lines.push(
            [
              run.id.padEnd(36),
              (run.kind ?? 'backfill').padEnd(8),
              run.status.padEnd(11),
              time(run.startedAt)!.padEnd(19),
              (time(run.now) ?? '-').padEnd(19),
              String(
                run.planned ??
                  (run.deleted !== null && run.deleted !== undefined ? `-${run.deleted}` : '-'),
              ).padStart(8),
              String(run.saved ?? '-').padStart(8),
              String(run.failed ?? '-').padStart(7),
            ].join('  '),
          );
        }
        if (list.length === 0) lines.push('(no runs yet)');
        ctx.stdout(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  runs
    .command('show')
    .description('one run with its failures')
    .argument('<id>', 'run id (or a unique prefix)')
    .option('--json', 'print one JSON document on stdout')
    .action(async function showAction(id: string, own: { json?: boolean }, command: Command) {
      // `runs` has its own --json: commander gives it the flag when it follows `show ID`.
      const flags = {
        json: own.json === true || command.parent?.opts<{ json?: boolean }>().json === true,
      };
      const store = await ctx.openStore();
      try {
        const run = (await findRun(store, id)) ?? (await byPrefix(store, id));
        const failures = await listRunFailures(store, run.id, 100_000);
        const failureJson = failures.map((f) => ({
          position_id: f.positionId,
          timestamp: time(f.timestamp),
          reason: f.reason,
        }));
        if (flags.json) {
          ctx.stdout(`${JSON.stringify({ ...runJson(run), failures: failureJson })}\n`);
          return;
        }
        const doc = runJson(run);
        const lines = Object.entries(doc).map(
          ([key, value]) =>
            `${key.padEnd(11)}  ${value === null ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
        );
        lines.push(`failures (${failures.length}):`);
        for (const f of failureJson.slice(0, 200))
          lines.push(`  ${f.position_id} ${f.timestamp ?? '-'}: ${f.reason}`);
        if (failures.length > 200) lines.push(`  … ${failures.length - 200} more (use --json)`);
        ctx.stdout(`${lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });
}

async function byPrefix(store: Parameters<typeof listRuns>[0], prefix: string): Promise<RunRecord> {
  const matches = (await listRuns(store, 100_000)).filter((run) => run.id.startsWith(prefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0)
    throw new LendstatsError('BAD_ARGUMENT', `no run with id ${prefix}; see 'lendstats runs'`);
  throw new LendstatsError(
    'BAD_ARGUMENT',
    `run prefix ${prefix} matches ${matches.map((r) => r.id).join(', ')}`,
  );
}
