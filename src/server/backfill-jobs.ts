/**
 * Backfills started from the dashboard: one at a time in this process, and through the writer
 * lock against every other process (a CLI run makes the start fail with DATABASE_BUSY). Each run
 * keeps a live state that server-sent events stream, a log file, and its record in the run
 * ledger, written exactly as the CLI's (recordedBackfill).
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { recordedBackfill, type RecordedRun } from '../backfill/recorded-run.js';
import type { BackfillEvent, BackfillOptions } from '../backfill/types.js';
import type { Store } from '../store/connection.js';
import { ApiError } from './http-error.js';
import { failureJson, optionsJson, type RunState } from './run-state.js';

/** The part of the CLI's run log (src/cli/logging.ts) the server uses; injected by `serve`. */
export interface RunLogLike {
  path: string;
  logger: { info(object: object, message?: string): void; warn(object: object): void };
  close(): void;
}

export type OpenRunLog = (command: string, opts: { dir?: string; at?: Date }) => RunLogLike;

export interface JobDeps {
  clock: () => number;
  openRunLog: OpenRunLog | null;
  logDir: string | undefined;
  /** lendstats's version, recorded with each run. */
  version: string;
  /** Where a run that failed is reported (the server's stderr). */
  warn: (message: string) => void;
}

export type JobListener = (kind: 'state' | 'done', state: RunState) => void;

interface Job {
  state: RunState;
  listeners: Set<JobListener>;
  timer: NodeJS.Timeout | null;
}

/** Failures kept in a run's live state; the log file and the ledger hold them all. */
const MAX_FAILURES = 100;
const STATE_INTERVAL_MS = 150;
const REMEMBERED_RUNS = 20;

export class BackfillJobs {
  private running: Job | null = null;
  private readonly recent = new Map<string, Job>();

  constructor(
    private readonly store: Store,
    private readonly deps: JobDeps,
  ) {}

  current(): RunState | null {
    return this.running?.state ?? null;
  }

  /** A run of this server session, running or finished. */
  find(id: string): RunState | null {
    return this.recent.get(id)?.state ?? null;
  }

  /** Starts a run; resolves once it holds the writer lock, rejects if it cannot get there. */
  async start(options: BackfillOptions): Promise<RunState> {
    if (this.running !== null) {
      throw new ApiError(
        409,
        'RUN_IN_PROGRESS',
        `backfill ${this.running.state.id} is running; wait for it to finish or cancel it`,
      );
    }
    const startedAt = this.deps.clock();
    const id = `web-${startedAt}-${randomBytes(3).toString('hex')}`;
    const log = this.deps.openRunLog?.('backfill', {
      dir: this.deps.logDir,
      at: new Date(startedAt * 1000),
    });
    const job: Job = {
      state: initialState(id, startedAt, options, log),
      listeners: new Set(),
      timer: null,
    };
    this.running = job;

    let signalStarted = (): void => {};
    const started = new Promise<void>((resolve) => (signalStarted = resolve));
    const listener = (event: BackfillEvent): void => {
      signalStarted();
      this.apply(job, event, log);
    };
    const run = recordedBackfill(
      this.store,
      options,
      listener,
      { runId: id, clock: this.deps.clock, shouldStop: () => job.state.cancelRequested },
      { args: optionsJson(options), logFile: log?.path ?? null, version: this.deps.version },
    );
    const early = await Promise.race([
      started.then(() => null),
      run.then(
        () => null,
        (e) => e,
      ),
    ]);
    if (early !== null) {
      this.running = null;
      if (log !== undefined) discardLog(log);
      throw early;
    }

    this.remember(job);
    void run.then(
      (outcome) => this.finish(job, outcome, null, log),
      (error: unknown) => this.finish(job, null, error, log),
    );
    return job.state;
  }

  cancel(id: string): RunState {
    const job = this.running;
    if (job === null || job.state.id !== id) {
      throw new ApiError(409, 'RUN_IN_PROGRESS', `backfill ${id} is not running`);
    }
    job.state.cancelRequested = true;
    this.emit(job, 'state');
    return job.state;
  }

  /** Follows a run of this session; returns null for an unknown one. */
  subscribe(id: string, listener: JobListener): (() => void) | null {
    const job = this.recent.get(id);
    if (job === undefined) return null;
    if (job.state.status !== 'running') {
      listener('done', job.state);
      return () => {};
    }
    listener('state', job.state);
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  private apply(job: Job, event: BackfillEvent, log: RunLogLike | undefined): void {
    const state = job.state;
    switch (event.type) {
      case 'phase':
        state.phase = event.phase;
        state.phaseDetail = event.detail;
        log?.logger.info({ event: 'phase', phase: event.phase, detail: event.detail });
        this.emit(job, 'state');
        return;
      case 'planned':
        state.planned = event.total;
        log?.logger.info({ event: 'planned', planned: event.total, positions: event.positions });
        this.emit(job, 'state');
        return;
      case 'progress':
        state.done = event.done;
        break;
      case 'position':
        state.saved += event.saved;
        state.failed += event.failed;
        state.staleRates += event.stale;
        log?.logger.info({
          event: 'position',
          position_id: event.positionId,
          planned: event.planned,
          saved: event.saved,
          failed: event.failed,
          stale_rates: event.stale,
        });
        break;
      case 'failure':
        if (state.failures.length < MAX_FAILURES) state.failures.push(event.failure);
        log?.logger.warn({ event: 'failure', ...failureJson(event.failure) });
        break;
      case 'batch':
        break;
    }
    this.scheduleState(job);
  }

  private finish(
    job: Job,
    outcome: RecordedRun | null,
    error: unknown,
    log: RunLogLike | undefined,
  ): void {
    const state = job.state;
    state.endedAt = this.deps.clock();
    state.status = outcome?.status ?? 'failed';
    state.message = error === null ? null : messageOf(error);
    if (state.message !== null) this.deps.warn(`backfill ${state.id} failed: ${state.message}`);
    if (outcome !== null) {
      const report = outcome.report;
      Object.assign(state, {
        planned: report.planned,
        saved: report.saved,
        failed: report.failed,
        staleRates: report.staleRates,
        failures: report.failures.slice(0, MAX_FAILURES),
        verification: report.verification,
        seconds: report.seconds,
      });
    }
    log?.logger.info({
      event: 'end',
      status: state.status,
      message: state.message,
      ...counts(state),
    });
    log?.close();

    if (job.timer !== null) clearTimeout(job.timer);
    this.running = null;
    this.emit(job, 'done');
    job.listeners.clear();
  }

  private scheduleState(job: Job): void {
    if (job.timer !== null) return;
    job.timer = setTimeout(() => {
      job.timer = null;
      if (job.state.status === 'running') this.emit(job, 'state');
    }, STATE_INTERVAL_MS);
  }

  private emit(job: Job, kind: 'state' | 'done'): void {
    for (const listener of job.listeners) listener(kind, job.state);
  }

  private remember(job: Job): void {
    this.recent.set(job.state.id, job);
    for (const id of this.recent.keys()) {
      if (this.recent.size <= REMEMBERED_RUNS) break;
      if (this.recent.get(id) !== this.running) this.recent.delete(id);
    }
  }
}

function initialState(
  id: string,
  startedAt: number,
  options: BackfillOptions,
  log: RunLogLike | undefined,
): RunState {
  return {
    id,
    status: 'running',
    startedAt,
    endedAt: null,
    options,
    phase: null,
    phaseDetail: null,
    planned: null,
    done: 0,
    saved: 0,
    failed: 0,
    staleRates: 0,
    failures: [],
    verification: null,
    message: null,
    logFile: log?.path ?? null,
    seconds: null,
    cancelRequested: false,
  };
}

function counts(state: RunState): Record<string, number | null> {
  const { planned, saved, failed, staleRates } = state;
  return { planned, saved, failed, stale_rates: staleRates };
}

/** A run that never started leaves no log behind. */
function discardLog(log: RunLogLike): void {
  log.close();
  try {
    unlinkSync(log.path);
  } catch {
    // Already gone: nothing to clean.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
