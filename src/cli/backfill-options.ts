/** Turns the backfill command's flags into BackfillOptions, the ledger-based ones included. */
import { LendstatsError } from '../domain/errors.js';
import type { Sampling } from '../domain/plan.js';
import { formatTime, HOUR } from '../domain/time.js';
import type { BackfillOptions } from '../backfill/types.js';
import type { Store } from '../store/connection.js';
import { sinceLastStart } from '../backfill/since-last.js';
import { failedPairs, runOrLatest } from '../store/ledger.js';

export interface BackfillFlags {
  dryRun?: boolean;
  position: string[];
  start?: number;
  end?: number;
  now?: number;
  sampling?: Sampling;
  force?: boolean;
  json?: boolean;
  maxFailureRate: number;
  maxRateAge: number;
  verifySample: number;
  batchSize: number;
  seed?: number;
  logDir: string;
  sinceLast?: boolean;
  lookback: number;
  retryFailed?: boolean | string;
  backup?: boolean;
}

export interface ResolvedOptions {
  options: BackfillOptions;
  /** Lines to tell the user about how the plan was chosen. */
  notes: string[];
  retryOf: string | null;
}

const conflict = (message: string): LendstatsError => new LendstatsError('BAD_ARGUMENT', message);

export async function resolveOptions(
  store: Store,
  flags: BackfillFlags,
  wallClock: number,
): Promise<ResolvedOptions> {
  const options: BackfillOptions = {
    now: flags.now ?? wallClock,
    sampling: flags.sampling ?? 'adaptive',
    positions: flags.position,
    start: flags.start ?? null,
    end: flags.end ?? null,
    force: flags.force === true,
    dryRun: flags.dryRun === true,
    maxRateAgeSeconds: flags.maxRateAge * HOUR,
    verifySample: flags.verifySample,
    batchSize: flags.batchSize,
    seed: flags.seed ?? Math.floor(Math.random() * 2 ** 31),
    explicit: null,
  };
  const notes: string[] = [];
  if (flags.start !== undefined && flags.end !== undefined && flags.start > flags.end) {
    throw conflict('--start is after --end: the range is empty');
  }

  if (flags.sinceLast && flags.retryFailed !== undefined) {
    throw conflict('--since-last and --retry-failed cannot be combined');
  }
  if (flags.sinceLast) {
    if (flags.start !== undefined)
      throw conflict('--since-last sets the start itself; drop --start');
    const { start, last } = await sinceLastStart(store, flags.lookback);
    if (start === null || last === null || last.now === null) {
      notes.push('--since-last: no earlier done run, so everything is planned');
    } else {
      options.start = start;
      notes.push(
        `--since-last: from ${formatTime(options.start)} (the last done run ${last.id} used now ` +
          `${formatTime(last.now)}, minus ${flags.lookback} h)`,
      );
    }
  }

  if (flags.retryFailed !== undefined) {
    if (flags.now !== undefined || flags.sampling !== undefined) {
      throw conflict(
        "--retry-failed uses the retried run's own now and sampling; drop --now/--sampling",
      );
    }
    const id = typeof flags.retryFailed === 'string' ? flags.retryFailed : undefined;
    const run = await runOrLatest(store, id);
    if (run === null)
      throw conflict(id ? `no run with id ${id}` : 'there is no earlier run to retry');
    if (run.now === null) throw conflict(`run ${run.id} has no recorded now`);
    const pairs = await failedPairs(store, run.id);
    options.now = run.now;
    options.sampling = (run.sampling as Sampling | null) ?? 'adaptive';
    options.explicit = pairs;
    options.positions = [...pairs.keys()];
    const count = [...pairs.values()].reduce((sum, list) => sum + list.length, 0);
    notes.push(
      `--retry-failed: the ${count} failed pairs of run ${run.id} (now ${formatTime(run.now)})`,
    );
    return { options, notes, retryOf: run.id };
  }
  return { options, notes, retryOf: null };
}
