/** Options, events and reports of a backfill run. Times are UTC seconds. */
import type { Sampling } from '../domain/plan.js';
import type { PositionStatus } from '../domain/types.js';

/**
 * Rows per write transaction: large enough that commits cost little (SQLite's WAL checkpoints
 * made 5,000-row batches 1.6x slower than one transaction; 50,000 match it), small enough that an
 * interrupted run loses little.
 */
export const DEFAULT_BATCH_SIZE = 50_000;

export interface BackfillOptions {
  now: number;
  sampling: Sampling;
  positions: string[];
  start: number | null;
  end: number | null;
  force: boolean;
  dryRun: boolean;
  maxRateAgeSeconds: number;
  verifySample: number;
  /** Rows per write transaction; an interrupted run loses at most one batch. */
  batchSize: number;
  /** Seed of the verification sample (a run is reproducible with the same seed). */
  seed: number;
  /**
   * An exact plan (a --retry-failed run): these timestamps per position, nothing else; gap
   * filling still drops pairs that have a row by now.
   */
  explicit?: ReadonlyMap<string, readonly number[]> | null;
}

export interface PositionPlan {
  positionId: string;
  status: PositionStatus;
  entry: number;
  /** Planned times after gap filling, ascending. */
  timestamps: number[];
  /** Stored rows of the position inside [entry, end] and the range. */
  existing: number;
}

export interface Failure {
  positionId: string;
  timestamp: number | null;
  reason: string;
}

export interface Difference {
  positionId: string;
  timestamp: number;
  column: string;
  stored: number | null;
  computed: number | null;
}

export interface CoverageReport {
  checked: number;
  covered: number;
  /**
   * Positions left out of the check: in a backfill's own verification, those with failures
   * this run (their gaps are the failures already reported), or all of them for a --start/--end
   * run (coverage is a property of the whole table; `verify` checks it).
   */
  skipped: string[];
  missing: { positionId: string; timestamp: number; latest: number | null }[];
}

export interface VerificationReport {
  /** Planned, not failed pairs without a stored row with finite numbers. */
  missingRows: { positionId: string; timestamp: number; problem: string }[];
  recomputed: { sampled: number; equal: number; differing: Difference[] };
  coverage: CoverageReport;
  orphans: number;
  passed: boolean;
}

export interface BackfillReport {
  now: number;
  planned: number;
  saved: number;
  failed: number;
  staleRates: number;
  failures: Failure[];
  verification: VerificationReport | null;
  seconds: number;
}

export type BackfillPhase = 'discovery' | 'planning' | 'execution' | 'verification';

export type BackfillEvent =
  | { type: 'phase'; phase: BackfillPhase; detail: string }
  | { type: 'planned'; total: number; positions: number }
  | { type: 'progress'; done: number; total: number }
  | {
      type: 'position';
      positionId: string;
      planned: number;
      saved: number;
      failed: number;
      stale: number;
    }
  | { type: 'failure'; failure: Failure }
  | { type: 'batch'; rows: number };

export type BackfillListener = (event: BackfillEvent) => void;
