/**
 * Positions, rebalance rows, snapshot times and market series, kept between requests while the
 * database reports no change (SQLite's data_version; PostgreSQL reloads per request). The server
 * itself only writes position_statistics, which none of these hold.
 */
import { legMarkets, loadSeries } from '../backfill/discovery.js';
import type { MarketSeries } from '../domain/series.js';
import type { SeriesLookup } from '../domain/statistic.js';
import type { Position } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { dataVersion } from '../store/data-version.js';
import {
  loadPositions,
  loadRebalances,
  snapshotTimes,
  type LoadedPositions,
  type RebalanceMap,
} from '../store/queries.js';

export class ReferenceData {
  private version: string | null | undefined;
  private positions: Promise<LoadedPositions> | undefined;
  private rebalances: Promise<RebalanceMap> | undefined;
  private snapshots: Promise<number[]> | undefined;
  /** By market key; null for a market without rows. */
  private series = new Map<string, MarketSeries | null>();

  constructor(private readonly store: Store) {}

  /** Forgets everything if the database changed (always on PostgreSQL); call once per request. */
  refresh(): void {
    const version = dataVersion(this.store);
    if (version !== null && version === this.version) return;
    this.version = version;
    this.positions = undefined;
    this.rebalances = undefined;
    this.snapshots = undefined;
    this.series = new Map();
  }

  loadPositions(): Promise<LoadedPositions> {
    this.positions ??= loadPositions(this.store);
    return this.positions;
  }

  loadRebalances(): Promise<RebalanceMap> {
    this.rebalances ??= loadRebalances(this.store);
    return this.rebalances;
  }

  snapshotTimes(): Promise<number[]> {
    this.snapshots ??= snapshotTimes(this.store);
    return this.snapshots;
  }

  /** A lookup over the series of every market the positions' legs use, built from all rows. */
  async seriesFor(positions: readonly Position[]): Promise<SeriesLookup> {
    const missing = new Set([...legMarkets(positions)].filter((key) => !this.series.has(key)));
    if (missing.size > 0) {
      const loaded = await loadSeries(this.store, missing);
      for (const key of missing) this.series.set(key, loaded.get(key) ?? null);
    }
    const series = this.series;
    return (key) => series.get(key) ?? undefined;
  }
}
