/**
 * Where the server reads the run ledger (src/store/run-history.ts) for the history panel; runs
 * the server starts are recorded by recordedBackfill, as the CLI's are.
 */
import type { Store } from '../store/connection.js';
import {
  findRun,
  listRunFailures,
  listRuns,
  type RunFailureRecord,
  type RunRecord,
} from '../store/run-history.js';

export type { RunFailureRecord, RunRecord };

export interface RunHistory {
  list(limit: number): Promise<RunRecord[]>;
  find(id: string): Promise<RunRecord | null>;
  failures(id: string, limit: number): Promise<RunFailureRecord[]>;
}

export function storeRunHistory(store: Store): RunHistory {
  return {
    list: (limit) => listRuns(store, limit),
    find: (id) => findRun(store, id),
    failures: (id, limit) => listRunFailures(store, id, limit),
  };
}
