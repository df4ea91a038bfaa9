/**
 * `serve --schedule`: a refresh every hour at :00 and an incremental backfill every day at
 * 00:30, both UTC. Runs go one at a time; a run triggered while the previous run of the same job
 * is still going (or waiting its turn) is skipped with a log line. Each run opens a connection
 * of its own, so its transactions never mix with the server's requests.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';

import { recordedBackfill } from '../backfill/recorded-run.js';
import type { BackfillOptions } from '../backfill/types.js';
import { DEFAULT_MAX_RATE_AGE_SECONDS } from '../domain/statistic.js';
import { formatTime } from '../domain/time.js';
import type { Store } from '../store/connection.js';
import { sinceLastStart } from '../backfill/since-last.js';
import { DEFAULT_BATCH_SIZE } from '../backfill/types.js';
import type { FetchLike } from './readers/index.js';
import { hourFloor, refresh } from './refresh.js';

export type JobName = 'refresh' | 'backfill';

export interface ScheduleOptions {
  /** A new connection for one run; closed when the run ends. */
  openStore: () => Promise<Store>;
  log: (line: string) => void;
  alphafiUrl?: string;
  maxRateAgeSeconds?: number;
  /** Wall clock in UTC seconds. */
  clock?: () => number;
  version?: string;
  /** Cron patterns, UTC (defaults: hourly at :00, daily at 00:30). */
  patterns?: Partial<Record<JobName, string>>;
  /** Create the timers paused: jobs run only through trigger() (tests). */
  paused?: boolean;
  /** Default: the network with a timeout (refresh.ts). */
  fetchImpl?: FetchLike;
}

export interface Schedules {
  /** Starts a job now under the same no-overlap rule; resolves once it has run (or was skipped). */
  trigger(job: JobName): Promise<void>;
  /** Stops the timers, asks a running backfill to stop after its batch, and waits for it. */
  stop(): Promise<void>;
}

const PATTERNS: Record<JobName, string> = { refresh: '0 * * * *', backfill: '30 0 * * *' };

/** Runs jobs one after another; a job already running or waiting is not added twice. */
export class JobQueue {
  private chain: Promise<void> = Promise.resolve();
  private readonly pending = new Set<JobName>();
  private closed = false;

  constructor(private readonly log: (line: string) => void) {}

  /** `work` returns its summary line; a failure is logged, never thrown to the timer. */
  add(job: JobName, work: () => Promise<string>): Promise<void> {
    if (this.pending.has(job)) {
      this.log(`${job}: skipped, the previous ${job} run has not finished`);
      return this.chain;
    }
    this.pending.add(job);
    const run = async (): Promise<void> => {
      if (this.closed) {
        this.pending.delete(job);
        this.log(`${job}: not started, the schedules are stopping`);
        return;
      }
      try {
        this.log(`${job}: ${await work()}`);
      } catch (error) {
        this.log(`${job}: failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.pending.delete(job);
      }
    };
    this.chain = this.chain.then(run);
    return this.chain;
  }

  /** Jobs still waiting will not start; resolves when the running one has ended. */
  close(): Promise<void> {
    this.closed = true;
    return this.chain;
  }
}

export function startSchedules(options: ScheduleOptions): Schedules {
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const queue = new JobQueue((line) => options.log(`${formatTime(clock())} ${line}`));
  let stopping = false;
  const trigger = (job: JobName): Promise<void> => {
    if (job === 'backfill') {
      return queue.add(job, () =>
        withStore(options, (store) => scheduledBackfill(store, options, clock, () => stopping)),
      );
    }
    // The hour is fixed when the timer fires, even if the run then waits behind a backfill.
    const at = hourFloor(clock());
    return queue.add(job, () =>
      withStore(options, (store) => scheduledRefresh(store, at, options, clock)),
    );
  };

  const timers = (Object.keys(PATTERNS) as JobName[]).map(
    (job) =>
      new Cron(
        options.patterns?.[job] ?? PATTERNS[job],
        { timezone: 'UTC', paused: options.paused === true },
        () => {
          void trigger(job);
        },
      ),
  );
  return {
    trigger,
    async stop() {
      stopping = true;
      for (const timer of timers) timer.stop();
      await queue.close();
    },
  };
}

async function withStore(
  options: ScheduleOptions,
  work: (store: Store) => Promise<string>,
): Promise<string> {
  const store = await options.openStore();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function scheduledRefresh(
  store: Store,
  at: number,
  options: ScheduleOptions,
  clock: () => number,
): Promise<string> {
  const report = await refresh(store, {
    at,
    clock,
    maxRateAgeSeconds: options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
    ...(options.alphafiUrl === undefined ? {} : { alphafiUrl: options.alphafiUrl }),
    ...(options.fetchImpl === undefined ? {} : { fetchImpl: options.fetchImpl }),
  });
  const missing = report.missing.map((m) => `${m.protocol} (${m.reason})`).join(', ');
  const stats = report.statistics;
  return (
    `${formatTime(at)}: ${report.rates.inserted + report.rates.updated} rates rows written` +
    (missing === '' ? '' : `, missing ${missing}`) +
    `, ${stats.saved} statistics saved, ${stats.failures.length} failed`
  );
}

async function scheduledBackfill(
  store: Store,
  options: ScheduleOptions,
  clock: () => number,
  shouldStop: () => boolean,
): Promise<string> {
  const { start } = await sinceLastStart(store);
  const backfill: BackfillOptions = {
    now: clock(),
    sampling: 'adaptive',
    positions: [],
    start,
    end: null,
    force: false,
    dryRun: false,
    maxRateAgeSeconds: options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
    verifySample: 50,
    batchSize: DEFAULT_BATCH_SIZE,
    seed: Math.floor(Math.random() * 2 ** 31),
    explicit: null,
  };
  const run = await recordedBackfill(
    store,
    backfill,
    () => {},
    { runId: randomUUID(), clock, shouldStop },
    {
      args: { scheduled: true, since_last: true, start: start === null ? null : formatTime(start) },
      logFile: null,
      version: options.version ?? '0.0.0',
    },
  );
  const { report } = run;
  return (
    `run ${run.runId} from ${start === null ? 'the beginning' : formatTime(start)}: ` +
    `${report.planned} planned, ${report.saved} saved, ${report.failed} failed`
  );
}
