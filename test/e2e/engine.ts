/** What the engine says about every position listed at T, in the dashboard's order. */
import { legMarkets, loadSeries } from '../../src/backfill/discovery.js';
import { PositionCalculator } from '../../src/domain/statistic.js';
import { parseTime } from '../../src/domain/time.js';
import { openStore } from '../../src/store/connection.js';
import { loadPositions, loadRebalances } from '../../src/store/queries.js';

export interface EngineFigure {
  totalPnl: number;
  realizedApr: number | null;
  currentApr: number | null;
}

/** Active positions (entered by T, not closed before it), then those closed by T, at their close. */
export async function engineFigures(db: string, at: string): Promise<Map<string, EngineFigure>> {
  const t = parseTime(at);
  const store = await openStore(db);
  try {
    const { positions } = await loadPositions(store);
    const rebalances = await loadRebalances(store);
    const series = await loadSeries(store, legMarkets(positions));
    const listed = positions
      .filter((p) => p.entryTimestamp <= t)
      .map((p) => {
        const close = p.status === 'active' ? null : p.closeTimestamp;
        return {
          p,
          closed: close !== null && close < t,
          moment: close !== null && close < t ? close : t,
        };
      })
      .sort((a, b) => Number(a.closed) - Number(b.closed));
    const figures = new Map<string, EngineFigure>();
    for (const { p, moment } of listed) {
      const calculator = new PositionCalculator(p, rebalances.get(p.positionId) ?? [], (key) =>
        series.get(key),
      );
      const { statistic } = calculator.at(moment);
      figures.set(p.positionId, {
        totalPnl: statistic.totalPnl,
        realizedApr: statistic.realizedApr,
        currentApr: statistic.currentApr,
      });
    }
    return figures;
  } finally {
    await store.close();
  }
}
