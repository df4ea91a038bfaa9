/**
 * Where the server reads and records backfill runs. The default goes through
 * src/store/run-history.ts; the run ledger can take its place behind this interface.
 */
import { hostname } from 'node:os';
import type { Store } from '../store/connection.js';
import {
  findRun,
  listRunFailures,
  listRuns,
  recordRunEnd,
  recordRunStart,
  type RunFailureRecord,
  type RunRecord,
} from '../store/run-history.js';

export type { RunFailureRecord, RunRecord };

export interface RunHistory {
  list(limit: number): Promise<RunRecord[]>;
  find(id: string): Promise<RunRecord | null>;
  failures(id: string, limit: number): Promise<RunFailureRecord[]>;
  start(run: RunRecord): Promise<void>;
  finish(run: RunRecord, failures: readonly RunFailureRecord[]): Promise<void>;
}

export function storeRunHistory(store: Store): RunHistory {
  return {
    list: (limit) => listRuns(store, limit),
    find: (id) => findRun(store, id),
    failures: (id, limit) => listRunFailures(store, id, limit),
    start: (run) => recordRunStart(store, run, process.pid, hostname()),
    finish: (run, failures) => recordRunEnd(store, run, failures),
  };
}
