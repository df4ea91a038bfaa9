/**
 * After a lifecycle write dated `from`, the position's stored statistics at or after `from` were
 * computed from data that no longer holds (a segment closed, weights changed, the position
 * closed). They are recomputed in the write's transaction; those past a close, where no
 * statistic exists any more, are deleted.
 */
import type { Kysely } from 'kysely';

import { LendstatsError } from '../domain/errors.js';
import type { MarketSeries } from '../domain/series.js';
import { DEFAULT_MAX_RATE_AGE_SECONDS, PositionCalculator } from '../domain/statistic.js';
import type { Store } from '../store/connection.js';
import { deleteStatistic, rewriteStatistic, statisticTimesFrom } from '../store/position-writes.js';
import { loadPositions, loadRebalances } from '../store/queries.js';
import type { Database } from '../store/schema.js';

export interface RewriteCounts {
  rewritten: number;
  removed: number;
}

export async function rewriteStatistics(
  store: Store,
  db: Kysely<Database>,
  positionId: string,
  from: number,
  series: ReadonlyMap<string, MarketSeries>,
  options: { clock?: () => number; maxRateAgeSeconds?: number },
): Promise<RewriteCounts> {
  const times = await statisticTimesFrom(db, positionId, from);
  if (times.length === 0) return { rewritten: 0, removed: 0 };

  // Read through the transaction: the rows just written are not visible elsewhere yet.
  const inTransaction: Store = { ...store, db };
  const { positions, invalid } = await loadPositions(inTransaction, [positionId]);
  const position = positions[0];
  if (position === undefined) {
    const reason = invalid[0]?.reason ?? 'no such position';
    throw new LendstatsError(
      'INVALID_POSITION_DATA',
      `invalid position data for ${positionId}: ${reason}`,
    );
  }
  const rows = (await loadRebalances(inTransaction, [positionId])).get(positionId) ?? [];
  const calculator = new PositionCalculator(
    position,
    rows,
    (key) => series.get(key),
    options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
  );
  const close = position.status === 'active' ? null : position.closeTimestamp;
  const calculatedAt = (options.clock ?? (() => Math.floor(Date.now() / 1000)))();

  const counts: RewriteCounts = { rewritten: 0, removed: 0 };
  for (const time of times) {
    if (close !== null && time.at > close) {
      await deleteStatistic(db, positionId, time);
      counts.removed += 1;
      continue;
    }
    // A statistic that cannot be computed any more stops the write: nothing is half-changed.
    const { statistic } = calculator.at(time.at);
    await rewriteStatistic(db, time, statistic, calculatedAt);
    counts.rewritten += 1;
  }
  return counts;
}
