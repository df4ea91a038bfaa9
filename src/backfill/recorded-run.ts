/**
 * A backfill recorded in the run ledger: the `running` row is written once the writer lock is
 * held (after older `running` rows, whose writers cannot hold the lock any more, are marked
 * interrupted), and the outcome with every failure when the run ends.
 */
import { hostname } from 'node:os';
import type { Store } from '../store/connection.js';
import { markInterrupted } from '../store/ledger.js';
import { recordRunEnd, recordRunStart, type RunRecord } from '../store/run-history.js';
import { runBackfill, type RunControl } from './run.js';
import type { BackfillListener, BackfillOptions, BackfillReport } from './types.js';

export interface RecordedRunInput {
  /** The arguments as given, stored as JSON. */
  args: unknown;
  logFile: string | null;
  version: string;
  retryOf?: string | null;
  /** A run above this failure share, or whose verification failed, is recorded as failed. */
  maxFailureRate?: number;
}

export interface RecordedRun {
  runId: string;
  report: BackfillReport;
  status: 'done' | 'failed' | 'interrupted';
  /** Runs found `running` whose process had gone, now marked interrupted. */
  interrupted: RunRecord[];
}

export async function recordedBackfill(
  store: Store,
  options: BackfillOptions,
  listener: BackfillListener,
  control: RunControl,
  input: RecordedRunInput,
): Promise<RecordedRun> {
  const record: RunRecord = {
    id: control.runId,
    startedAt: Math.floor(Date.now() / 1000),
    endedAt: null,
    status: 'running',
    args: JSON.stringify(input.args),
    now: options.now,
    sampling: options.sampling,
    planned: null,
    saved: null,
    failed: null,
    staleRates: null,
    logFile: input.logFile,
    message: null,
    kind: 'backfill',
    version: input.version,
    retryOf: input.retryOf ?? null,
  };
  let interrupted: RunRecord[] = [];
  let started = false;
  const onLocked = async (): Promise<void> => {
    interrupted = await markInterrupted(store, record.id);
    await recordRunStart(store, record, process.pid, hostname());
    started = true;
    if (control.onLocked) await control.onLocked();
  };

  try {
    const report = await runBackfill(store, options, listener, { ...control, onLocked });
    const stopped = control.shouldStop?.() === true;
    const problem = runProblem(report, input.maxFailureRate ?? 1);
    const status = stopped ? 'interrupted' : problem === null ? 'done' : 'failed';
    await recordRunEnd(
      store,
      {
        ...record,
        status,
        endedAt: Math.floor(Date.now() / 1000),
        planned: report.planned,
        saved: report.saved,
        failed: report.failed,
        staleRates: report.staleRates,
        message: stopped ? 'stopped on request' : problem,
      },
      report.failures,
    );
    return { runId: record.id, report, status, interrupted };
  } catch (error) {
    if (started) {
      const message = error instanceof Error ? error.message : String(error);
      await recordRunEnd(
        store,
        { ...record, status: 'failed', endedAt: Math.floor(Date.now() / 1000), message },
        [],
      );
    }
    throw error;
  }
}

/** Why a completed run counts as failed, or null when it does not. */
function runProblem(report: BackfillReport, maxFailureRate: number): string | null {
  const rate = report.planned === 0 ? 0 : report.failed / report.planned;
  if (rate > maxFailureRate) {
    return `failure rate ${(rate * 100).toFixed(2)}% is above ${(maxFailureRate * 100).toFixed(2)}%`;
  }
  if (report.verification !== null && !report.verification.passed) return 'verification failed';
  return null;
}
