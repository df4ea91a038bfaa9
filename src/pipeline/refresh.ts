/**
 * One refresh at snapshot time T: read every protocol, save the snapshot rows (upsert) and the
 * token registry in one transaction, then compute and save the statistic at T of every position
 * active at T. Running it again for the same T rewrites the same values.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

import { legMarkets, loadSeries } from '../backfill/discovery.js';
import { execute } from '../backfill/execute.js';
import type { Failure, PositionPlan } from '../backfill/types.js';
import { DEFAULT_MAX_RATE_AGE_SECONDS } from '../domain/statistic.js';
import { formatTime, HOUR } from '../domain/time.js';
import type { Position } from '../domain/types.js';
import { applyTable, type TableCounts } from '../io/import-apply.js';
import { rowsTable } from '../io/row-table.js';
import type { Store } from '../store/connection.js';
import {
  acquireWriterLock,
  loadPositions,
  loadRebalances,
  newestSnapshot,
} from '../store/queries.js';
import { inTransaction } from '../store/transaction.js';
import {
  PROTOCOL_IDS,
  PROTOCOLS,
  RATES_COLUMNS,
  readAllProtocols,
  type FetchLike,
  type ProtocolId,
  type RatesRow,
} from './readers/index.js';
import { updateTokenRegistry } from './token-registry.js';

export interface RefreshOptions {
  /** The snapshot time T, UTC seconds. */
  at: number;
  protocols?: readonly ProtocolId[];
  alphafiUrl?: string;
  /** Default: the global fetch with a per-request timeout. */
  fetchImpl?: FetchLike;
  maxRateAgeSeconds?: number;
  /** Wall clock in UTC seconds, stamped as calculation_timestamp. */
  clock?: () => number;
  runId?: string;
}

export interface RefreshReport {
  at: number;
  /** Rows read per protocol that answered, in the order asked. */
  protocols: { protocol: ProtocolId; rows: number }[];
  missing: { protocol: ProtocolId; reason: string }[];
  rates: TableCounts;
  registry: TableCounts;
  statistics: StatisticsReport;
}

export interface StatisticsReport {
  /** Positions active at T. */
  positions: number;
  saved: number;
  staleRates: number;
  failures: Failure[];
  /** Why no statistic was computed at all, or null. */
  skipped: string | null;
}

/** A protocol that does not answer within this time is reported missing. */
export const FETCH_TIMEOUT_MS = 30_000;

const NO_WRITES: TableCounts = { inserted: 0, updated: 0, unchanged: 0, addedColumns: [] };

/** The start of the UTC hour holding `seconds`: the default T. */
export function hourFloor(seconds: number): number {
  return Math.floor(seconds / HOUR) * HOUR;
}

export async function refresh(store: Store, options: RefreshOptions): Promise<RefreshReport> {
  const { at } = options;
  const protocols = options.protocols ?? PROTOCOL_IDS;
  const release = await acquireWriterLock(store, {
    runId: options.runId ?? `refresh-${randomUUID()}`,
    pid: process.pid,
    host: hostname(),
  });
  try {
    const read = await readAllProtocols(at, {
      fetchImpl: options.fetchImpl ?? fetchWithTimeout(FETCH_TIMEOUT_MS),
      protocols,
      ...(options.alphafiUrl === undefined ? {} : { alphafiUrl: options.alphafiUrl }),
    });
    const missing = new Set(read.missing.map((entry) => entry.protocol));

    const written = await saveSnapshot(store, read.rows, at);
    const statistics = await refreshStatistics(store, at, options);

    return {
      at,
      protocols: protocols
        .filter((protocol) => !missing.has(protocol))
        .map((protocol) => ({ protocol, rows: rowsOf(read.rows, protocol) })),
      missing: read.missing.map((entry) => ({
        protocol: entry.protocol,
        reason: entry.error.message,
      })),
      ...written,
      statistics,
    };
  } finally {
    await release();
  }
}

/** Snapshot rows and registry in one transaction. */
async function saveSnapshot(
  store: Store,
  rows: readonly RatesRow[],
  at: number,
): Promise<{ rates: TableCounts; registry: TableCounts }> {
  if (rows.length === 0) return { rates: NO_WRITES, registry: NO_WRITES };
  const values = rows.map((row) => RATES_COLUMNS.map((column) => row[column]));
  const table = rowsTable('rates_snapshot', RATES_COLUMNS, values, 'protocol responses');
  return inTransaction(store, async (db) => ({
    rates: await applyTable(store, db, table),
    registry: await updateTokenRegistry(store, db, rows, at),
  }));
}

/**
 * The statistic at T of every position active at T. Nothing is computed past the newest
 * snapshot, as the backfill plans nothing there: a statistic would be a guess.
 */
export async function refreshStatistics(
  store: Store,
  at: number,
  options: Pick<RefreshOptions, 'maxRateAgeSeconds' | 'clock'> = {},
): Promise<StatisticsReport> {
  const newest = await newestSnapshot(store);
  if (newest === null || newest < at) {
    const skipped = `no rates_snapshot row at or after ${formatTime(at)}: no statistic past the newest snapshot`;
    return { positions: 0, saved: 0, staleRates: 0, failures: [], skipped };
  }

  const { positions, invalid } = await loadPositions(store);
  const active = positions.filter((position) => isActiveAt(position, at));
  const ids = active.map((position) => position.positionId);
  const rebalances = await loadRebalances(store, ids);
  const series = await loadSeries(store, legMarkets(active), at);
  const plans: PositionPlan[] = active.map((position) => ({
    positionId: position.positionId,
    status: position.status,
    entry: position.entryTimestamp,
    timestamps: [at],
    existing: 0,
  }));

  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const result = await execute(
    store,
    {
      positions: new Map(active.map((position) => [position.positionId, position])),
      rebalances,
      series,
      plans,
      maxRateAgeSeconds: options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
      batchSize: 5000,
      calculationTimestamp: clock,
    },
    () => {},
  );
  const unreadable = invalid.map((p) => ({
    positionId: p.positionId,
    timestamp: at,
    reason: p.reason,
  }));
  return {
    positions: active.length,
    saved: result.saved,
    staleRates: result.staleRates,
    failures: [...unreadable, ...result.failures],
    skipped: null,
  };
}

/** Entered by T and not closed before T (a close at T still has its statistic at T). */
export function isActiveAt(position: Position, at: number): boolean {
  if (position.entryTimestamp > at) return false;
  if (position.status === 'active' || position.closeTimestamp === null) return true;
  return at <= position.closeTimestamp;
}

function rowsOf(rows: readonly RatesRow[], protocol: ProtocolId): number {
  return rows.filter((row) => row.protocol === PROTOCOLS[protocol]).length;
}

/** The global fetch, abandoning a request after `ms` so one silent protocol cannot hang a run. */
export function fetchWithTimeout(ms: number): FetchLike {
  const timed = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    globalThis.fetch(input, { ...init, signal: AbortSignal.timeout(ms) });
  return timed as FetchLike;
}
