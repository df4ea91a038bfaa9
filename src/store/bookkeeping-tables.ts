/** lendstats's own tables: schema version, run ledger, run failures, the writer lock. */
import { columnsOf, type TableDefinition } from './tables.js';

export const BOOKKEEPING_TABLES: readonly TableDefinition[] = [
  {
    name: 'lendstats_meta',
    columns: columnsOf({ key: 'text', value: 'text' }),
    key: ['key'],
    unique: [],
  },
  {
    name: 'lendstats_runs',
    columns: columnsOf({
      id: 'text',
      started_at: 'time',
      ended_at: 'time',
      status: 'text',
      args: 'text',
      now_ts: 'time',
      sampling: 'text',
      planned: 'integer',
      saved: 'integer',
      failed: 'integer',
      stale_rates: 'integer',
      log_file: 'text',
      version: 'text',
      pid: 'integer',
      host: 'text',
      message: 'text',
      kind: 'text',
      deleted: 'integer',
      retry_of: 'text',
    }),
    key: ['id'],
    unique: [],
  },
  {
    name: 'lendstats_run_failures',
    columns: columnsOf({ run_id: 'text', position_id: 'text', timestamp: 'time', reason: 'text' }),
    key: [],
    unique: [],
  },
  {
    name: 'lendstats_lock',
    columns: columnsOf({
      name: 'text',
      run_id: 'text',
      pid: 'integer',
      host: 'text',
      acquired_at: 'time',
    }),
    key: ['name'],
    unique: [],
  },
];
