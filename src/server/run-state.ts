/** A backfill run as the dashboard sees it, live or from the history, and its JSON forms. */
import { basename } from 'node:path';
import type {
  BackfillOptions,
  Failure,
  VerificationReport,
  BackfillPhase,
} from '../backfill/types.js';
import { formatTime } from '../domain/time.js';
import { time } from './json.js';
import type { RunFailureRecord, RunRecord } from './run-history.js';
import type { RunStatus } from '../store/run-history.js';

export interface RunState {
  id: string;
  status: RunStatus;
  startedAt: number;
  endedAt: number | null;
  options: BackfillOptions;
  phase: BackfillPhase | null;
  phaseDetail: string | null;
  planned: number | null;
  /** Planned statistics processed so far. */
  done: number;
  saved: number;
  failed: number;
  staleRates: number;
  /** The first failures (all of them are in the log file and the history). */
  failures: Failure[];
  verification: VerificationReport | null;
  message: string | null;
  logFile: string | null;
  seconds: number | null;
  cancelRequested: boolean;
}

/** The run's options as the CLI would spell them, for the history's `args`. */
export function optionsJson(options: BackfillOptions) {
  return {
    positions: options.positions,
    start: time(options.start),
    end: time(options.end),
    now: formatTime(options.now),
    sampling: options.sampling,
    force: options.force,
    max_rate_age_hours: options.maxRateAgeSeconds / 3600,
    verify_sample: options.verifySample,
  };
}

export function runRecord(state: RunState): RunRecord {
  return {
    id: state.id,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    status: state.status,
    args: JSON.stringify(optionsJson(state.options)),
    now: state.options.now,
    sampling: state.options.sampling,
    planned: state.planned,
    saved: state.saved,
    failed: state.failed,
    staleRates: state.staleRates,
    logFile: state.logFile,
    message: state.message,
  };
}

export function runStateJson(state: RunState) {
  return {
    ...runRecordJson(runRecord(state)),
    phase: state.phase,
    phase_detail: state.phaseDetail,
    done: state.done,
    cancel_requested: state.cancelRequested,
    options: optionsJson(state.options),
    failures: state.failures.map(failureJson),
    verification: state.verification === null ? null : verificationSummary(state.verification),
    seconds: state.seconds,
  };
}

export function runRecordJson(run: RunRecord) {
  return {
    id: run.id,
    status: run.status,
    started_at: formatTime(run.startedAt),
    ended_at: time(run.endedAt),
    now: time(run.now),
    sampling: run.sampling,
    planned: run.planned,
    saved: run.saved,
    failed: run.failed,
    stale_rates: run.staleRates,
    message: run.message,
    log_file: run.logFile === null ? null : basename(run.logFile),
    log_url: run.logFile === null ? null : `/api/backfill/runs/${encodeURIComponent(run.id)}/log`,
  };
}

export function failureJson(failure: Failure | RunFailureRecord) {
  return {
    position_id: failure.positionId,
    timestamp: time(failure.timestamp),
    reason: failure.reason,
  };
}

/** Counts only; the lists are in the log file and in `lendstats verify --json`. */
function verificationSummary(v: VerificationReport) {
  return {
    passed: v.passed,
    rows_missing: v.missingRows.length,
    coverage: { checked: v.coverage.checked, covered: v.coverage.covered },
    recomputed: {
      sampled: v.recomputed.sampled,
      equal: v.recomputed.equal,
      differing: v.recomputed.differing.length,
    },
    orphans: v.orphans,
  };
}
