/** Execution: computes every planned statistic and upserts them in bounded transactions. */
import { StatisticError } from '../domain/errors.js';
import type { MarketSeries } from '../domain/series.js';
import { PositionCalculator } from '../domain/statistic.js';
import type { Position, RebalanceRow, Statistic } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { upsertStatistics } from '../store/queries.js';
import type { BackfillListener, Failure, PositionPlan } from './types.js';

export interface ExecutionInput {
  positions: Map<string, Position>;
  rebalances: Map<string, RebalanceRow[]>;
  series: Map<string, MarketSeries>;
  plans: readonly PositionPlan[];
  maxRateAgeSeconds: number;
  batchSize: number;
  /** Awaited after every committed batch (the CLI's test hook for reachable kill points). */
  afterBatch?: () => Promise<void>;
  /** Wall clock of the computation, stamped on every row. */
  calculationTimestamp: () => number;
}

export interface ExecutionResult {
  saved: number;
  staleRates: number;
  failures: Failure[];
}

export async function execute(
  store: Store,
  input: ExecutionInput,
  listener: BackfillListener,
  shouldStop: () => boolean = () => false,
): Promise<ExecutionResult> {
  const total = input.plans.reduce((sum, plan) => sum + plan.timestamps.length, 0);
  const failures: Failure[] = [];
  let buffer: Statistic[] = [];
  let saved = 0;
  let staleRates = 0;
  let done = 0;

  // One batch is written while the next is computed: on PostgreSQL the server inserts and
  // indexes a batch (the larger share of a backfill) while this process does the math. Batches
  // still commit one at a time and in order; a failed write surfaces at the next flush or the end.
  let writing: Promise<void> = Promise.resolve();

  const write = async (batch: Statistic[]): Promise<void> => {
    await upsertStatistics(store, batch, input.calculationTimestamp());
    saved += batch.length;
    listener({ type: 'batch', rows: batch.length });
    if (input.afterBatch) await input.afterBatch();
  };

  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    await writing;
    writing = write(batch);
    writing.catch(() => undefined);
    // SQLite writes are synchronous: without a turn of the event loop per batch, a run inside the
    // server (or a CLI waiting for SIGINT or redrawing its bar) would not answer until the end.
    await yieldTurn();
  };

  const runPosition = async (plan: PositionPlan): Promise<void> => {
    const position = input.positions.get(plan.positionId)!;
    const calculator = new PositionCalculator(
      position,
      input.rebalances.get(plan.positionId) ?? [],
      (key) => input.series.get(key),
      input.maxRateAgeSeconds,
    );
    let positionFailed = 0;
    let positionStale = 0;
    for (const t of plan.timestamps) {
      try {
        const result = calculator.at(t);
        buffer.push(result.statistic);
        if (result.stale) positionStale++;
      } catch (error) {
        if (!(error instanceof StatisticError)) throw error;
        const failure = { positionId: plan.positionId, timestamp: t, reason: error.message };
        failures.push(failure);
        listener({ type: 'failure', failure });
        positionFailed++;
      }
      if (buffer.length >= input.batchSize) await flush();
    }
    done += plan.timestamps.length;
    staleRates += positionStale;
    listener({
      type: 'position',
      positionId: plan.positionId,
      planned: plan.timestamps.length,
      saved: plan.timestamps.length - positionFailed,
      failed: positionFailed,
      stale: positionStale,
    });
    listener({ type: 'progress', done, total });
  };

  try {
    for (const plan of input.plans) {
      if (plan.timestamps.length === 0) continue;
      if (shouldStop()) break;
      await runPosition(plan);
      // Between positions the pending write's I/O gets its turns; the math alone would starve it.
      await yieldTurn();
    }
    await flush();
    await writing;
  } catch (error) {
    // Never leave a write running behind the caller's back (its writer lock, its store).
    await writing.catch(() => undefined);
    throw error;
  }
  return { saved, staleRates, failures };
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
