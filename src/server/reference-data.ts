/**
 * Positions, rebalance rows, snapshot times and market series, kept between requests while the
 * database reports no change. SQLite: its data_version covers every table. PostgreSQL: positions
 * and rebalance rows are checked against a token of their tables (once per request, beside the
 * request's own query); snapshot times and series are read again per request.
 */
import { legMarkets, loadSeries } from '../backfill/discovery.js';
import type { MarketSeries } from '../domain/series.js';
import type { SeriesLookup } from '../domain/statistic.js';
import type { Position } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { dataVersion, positionTablesVersion } from '../store/data-version.js';
import {
  loadPositions,
  loadRebalances,
  snapshotTimes,
  type LoadedPositions,
  type RebalanceMap,
} from '../store/queries.js';

export class ReferenceData {
  private version: string | null | undefined;
  private tablesToken: string | undefined;
  /** The PostgreSQL token check of the current request, when one is due. */
  private tablesChecked: Promise<void> = Promise.resolve();
  private checkDue = false;
  private positions: Promise<LoadedPositions> | undefined;
  private rebalances: Promise<RebalanceMap> | undefined;
  private snapshots: Promise<number[]> | undefined;
  /** By market key; null for a market without rows. */
  private series = new Map<string, MarketSeries | null>();

  constructor(private readonly store: Store) {}

  /** Call once per request: forgets what the database may have changed since. */
  refresh(): void {
    const version = dataVersion(this.store);
    if (version !== null && version === this.version) return;
    this.version = version;
    this.snapshots = undefined;
    this.series = new Map();
    if (version === null) {
      this.checkDue = true;
      return;
    }
    this.positions = undefined;
    this.rebalances = undefined;
  }

  /** Forgets everything; for writes committed on this store's own connection. */
  invalidate(): void {
    this.version = undefined;
    this.tablesToken = undefined;
    this.positions = undefined;
    this.rebalances = undefined;
    this.refresh();
  }

  async loadPositions(): Promise<LoadedPositions> {
    await this.checkTables();
    this.positions ??= loadPositions(this.store);
    return this.positions;
  }

  async loadRebalances(): Promise<RebalanceMap> {
    await this.checkTables();
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

  private checkTables(): Promise<void> {
    if (this.checkDue) {
      this.checkDue = false;
      this.tablesChecked = positionTablesVersion(this.store).then((token) => {
        if (token === this.tablesToken) return;
        this.tablesToken = token;
        this.positions = undefined;
        this.rebalances = undefined;
      });
    }
    return this.tablesChecked;
  }
}
