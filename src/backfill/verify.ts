/**
 * Verification: planned rows exist with usable numbers, a random sample of stored rows agrees
 * with a recomputation, and every snapshot time is covered (the `verify` command's check).
 */
import { coverageGaps } from '../domain/coverage.js';
import { StatisticError } from '../domain/errors.js';
import { planEnd, type Sampling } from '../domain/plan.js';
import type { MarketSeries } from '../domain/series.js';
import { PositionCalculator } from '../domain/statistic.js';
import { METRIC_COLUMNS, statisticColumns, type MetricColumn } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { loadStatistics } from '../store/queries.js';
import type { Discovery } from './discovery.js';
import type { CoverageReport, Difference, Failure, PositionPlan } from './types.js';

/** SPEC-statistics.md's agreement rule. */
export function agrees(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** Planned pairs that did not fail but have no row now. */
export function missingPlannedRows(
  plans: readonly PositionPlan[],
  failures: readonly Failure[],
  stored: Map<string, number[]>,
): { positionId: string; timestamp: number; problem: string }[] {
  const failed = new Set(failures.map((f) => `${f.positionId}|${f.timestamp}`));
  const missing = [];
  for (const plan of plans) {
    const have = new Set(stored.get(plan.positionId) ?? []);
    for (const t of plan.timestamps) {
      if (!have.has(t) && !failed.has(`${plan.positionId}|${t}`)) {
        missing.push({ positionId: plan.positionId, timestamp: t, problem: 'no row' });
      }
    }
  }
  return missing;
}

/** Coverage of every position at every snapshot time inside [entry, end], and orphans. */
export function checkCoverage(
  discovery: Discovery,
  stored: Map<string, number[]>,
  now: number,
  sampling: Sampling,
  skip: ReadonlySet<string> = new Set(),
): { coverage: CoverageReport; orphans: number } {
  const context = { now, sampling, snapshotTimes: discovery.snapshotTimes };
  const coverage: CoverageReport = { checked: 0, covered: 0, skipped: [], missing: [] };
  let orphans = 0;
  for (const position of discovery.positions) {
    const rows = stored.get(position.positionId) ?? [];
    const end = planEnd(position, context);
    const entry = position.entryTimestamp;
    orphans += rows.filter((s) => end === null || s < entry || s > end).length;
    if (skip.has(position.positionId)) coverage.skipped.push(position.positionId);
    if (end === null || skip.has(position.positionId)) continue;
    const inside = rows.filter((s) => s >= entry && s <= end);
    const { checked, gaps } = coverageGaps(
      discovery.snapshotTimes,
      inside,
      [entry, end],
      now,
      sampling,
    );
    coverage.checked += checked;
    coverage.covered += checked - gaps.length;
    for (const gap of gaps) {
      coverage.missing.push({
        positionId: position.positionId,
        timestamp: gap.at,
        latest: gap.latest,
      });
    }
  }
  return { coverage, orphans };
}

/** Deterministic generator (mulberry32) so that a sample can be drawn again. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recomputes a random sample of stored rows (any writer) and lists the differences. */
export async function recomputeSample(
  store: Store,
  discovery: Discovery,
  stored: Map<string, number[]>,
  series: Map<string, MarketSeries>,
  options: { size: number; seed: number; maxRateAgeSeconds: number },
): Promise<{ sampled: number; equal: number; differing: Difference[] }> {
  const keys: [string, number][] = [];
  for (const position of discovery.positions) {
    for (const s of stored.get(position.positionId) ?? []) keys.push([position.positionId, s]);
  }
  const random = seededRandom(options.seed);
  for (let i = keys.length - 1; i > 0 && keys.length - i <= options.size; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const sample = keys.slice(Math.max(0, keys.length - options.size));
  const positions = new Map(discovery.positions.map((p) => [p.positionId, p]));

  let equal = 0;
  const differing: Difference[] = [];
  for (const [positionId, timestamp] of sample) {
    const [row] = await loadStatistics(store, {
      positionIds: [positionId],
      from: timestamp,
      to: timestamp,
    });
    if (!row) continue;
    const calculator = new PositionCalculator(
      positions.get(positionId)!,
      discovery.rebalances.get(positionId) ?? [],
      (key) => series.get(key),
      options.maxRateAgeSeconds,
    );
    let computed: Record<MetricColumn, number | null> | null = null;
    let reason = '';
    try {
      computed = statisticColumns(calculator.at(timestamp).statistic);
    } catch (error) {
      if (!(error instanceof StatisticError)) throw error;
      reason = error.message;
    }
    const rowDiffs: Difference[] = [];
    for (const column of METRIC_COLUMNS) {
      const value = computed === null ? null : computed[column];
      if (computed === null || !agrees(row.values[column], value)) {
        rowDiffs.push({
          positionId,
          timestamp,
          column: computed === null ? `error: ${reason}` : column,
          stored: row.values[column],
          computed: value,
        });
        if (computed === null) break;
      }
    }
    if (rowDiffs.length === 0) equal++;
    differing.push(...rowDiffs);
  }
  return { sampled: sample.length, equal, differing };
}
