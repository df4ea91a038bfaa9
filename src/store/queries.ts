/** The queries the rest of lendstats needs, in one import. */
export { loadPositions, loadRebalances, RebalanceMap } from './positions.js';
export type { InvalidPosition, LoadedPositions } from './positions.js';
export { listMarkets, loadRateRows, newestSnapshot, snapshotTimes } from './rates.js';
export type { RateRowOptions, RawMarket } from './rates.js';
export { loadStatisticKeys, loadStatistics, upsertStatistics } from './statistics.js';
export type { StatisticFilter, StoredStatistic } from './statistics.js';
export { acquireWriterLock } from './lock.js';
export type { LockHolder, Release } from './lock.js';
