/** A backfill run: discovery, planning, execution, verification, each reported as events. */
import { hostname } from 'node:os';
import { planEnd } from '../domain/plan.js';
import type { Store } from '../store/connection.js';
import { deferCheckpoints } from '../store/checkpoints.js';
import { acquireWriterLock, loadStatisticKeys } from '../store/queries.js';
import { countStatistics } from '../store/statistic-counts.js';
import { discover, legMarkets, loadSeries, type Discovery } from './discovery.js';
import { execute } from './execute.js';
import { planRun } from './plan-run.js';
import type {
  BackfillListener,
  BackfillOptions,
  BackfillReport,
  Failure,
  PositionPlan,
  VerificationReport,
} from './types.js';
import { checkCoverage, missingPlannedRows, recomputeSample } from './verify.js';

export interface DryRunReport {
  now: number;
  positions: PositionPlan[];
  planned: number;
}

export interface RunControl {
  runId: string;
  /** Wall clock in UTC seconds; injectable for tests. */
  clock?: () => number;
  /** Checked between positions; a true value stops execution after the current batch. */
  shouldStop?: () => boolean;
  /** Awaited once the writer lock is held, before anything is read (the run ledger's start). */
  onLocked?: () => Promise<void>;
  /** Awaited after every committed batch. */
  afterBatch?: () => Promise<void>;
}

export async function planBackfill(
  store: Store,
  options: BackfillOptions,
  listener: BackfillListener = () => {},
): Promise<{ discovery: Discovery; plans: PositionPlan[]; invalid: Failure[] }> {
  listener({
    type: 'phase',
    phase: 'discovery',
    detail: 'reading positions, rebalances and stored keys',
  });
  const discovery = await discover(store, options.positions);

  listener({ type: 'phase', phase: 'planning', detail: `${discovery.positions.length} positions` });
  const plans = planRun(discovery, options);
  const invalid = discovery.invalid.map((p) => ({
    positionId: p.positionId,
    timestamp: null,
    reason: p.reason,
  }));
  const total = plans.reduce((sum, plan) => sum + plan.timestamps.length, 0);
  listener({ type: 'planned', total, positions: plans.length });
  return { discovery, plans, invalid };
}

export function dryRunReport(options: BackfillOptions, plans: PositionPlan[]): DryRunReport {
  return {
    now: options.now,
    positions: plans,
    planned: plans.reduce((s, p) => s + p.timestamps.length, 0),
  };
}

export async function runBackfill(
  store: Store,
  options: BackfillOptions,
  listener: BackfillListener,
  control: RunControl,
): Promise<BackfillReport> {
  const clock = control.clock ?? (() => Math.floor(Date.now() / 1000));
  const started = performance.now();
  const release = await acquireWriterLock(store, {
    runId: control.runId,
    pid: process.pid,
    host: hostname(),
  });
  try {
    if (control.onLocked) await control.onLocked();
    const { discovery, plans, invalid } = await planBackfill(store, options, listener);

    listener({ type: 'phase', phase: 'execution', detail: 'computing and writing statistics' });
    const series = await loadSeries(
      store,
      legMarkets(discovery.positions),
      seriesHorizon(discovery, options),
    );
    const checkpoint = deferCheckpoints(store);
    const result = await execute(
      store,
      {
        positions: new Map(discovery.positions.map((p) => [p.positionId, p])),
        rebalances: discovery.rebalances,
        series,
        plans,
        maxRateAgeSeconds: options.maxRateAgeSeconds,
        batchSize: options.batchSize,
        calculationTimestamp: clock,
        ...(control.afterBatch ? { afterBatch: control.afterBatch } : {}),
      },
      listener,
      control.shouldStop,
    ).finally(checkpoint);
    const failures = [...invalid, ...result.failures];

    listener({
      type: 'phase',
      phase: 'verification',
      detail: 'checking rows, a sample and coverage',
    });
    const verification = await verifyRun(store, discovery, plans, failures, series, options);
    const planned = plans.reduce((sum, plan) => sum + plan.timestamps.length, 0) + invalid.length;
    return {
      now: options.now,
      planned,
      saved: result.saved,
      failed: failures.length,
      staleRates: result.staleRates,
      failures,
      verification,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await release();
  }
}

/** The latest moment any planned statistic needs rates for. */
function seriesHorizon(discovery: Discovery, options: BackfillOptions): number {
  const context = {
    now: options.now,
    sampling: options.sampling,
    snapshotTimes: discovery.snapshotTimes,
  };
  let horizon = -Infinity;
  for (const position of discovery.positions) {
    const end = planEnd(position, context);
    if (end !== null && end > horizon) horizon = end;
  }
  return Number.isFinite(horizon) ? horizon : options.now;
}

async function verifyRun(
  store: Store,
  discovery: Discovery,
  plans: PositionPlan[],
  failures: Failure[],
  series: Parameters<typeof recomputeSample>[3],
  options: BackfillOptions,
): Promise<VerificationReport> {
  const stored = await storedKeysAfterRun(store, discovery, plans, failures);
  const missingRows = missingPlannedRows(plans, failures, stored);
  const recomputed = await recomputeSample(store, discovery, stored, series, {
    size: options.verifySample,
    seed: options.seed,
    maxRateAgeSeconds: options.maxRateAgeSeconds,
  });
  const failedPositions = new Set(failures.map((f) => f.positionId));
  const ranged = options.start !== null || options.end !== null;
  const { coverage, orphans } = ranged
    ? {
        coverage: {
          checked: 0,
          covered: 0,
          skipped: discovery.positions.map((p) => p.positionId),
          missing: [],
        },
        orphans: 0,
      }
    : checkCoverage(discovery, stored, options.now, options.sampling, failedPositions);
  return {
    missingRows,
    recomputed,
    coverage,
    orphans,
    passed: missingRows.length === 0 && coverage.missing.length === 0,
  };
}

/**
 * The stored keys of the run's positions after it. A position whose row count is what the run
 * should have left (its keys before, plus every planned key that did not fail) keeps the keys
 * known in memory; any other position's keys are read again, so missing rows are named. Counting
 * is one grouped query, where re-reading every key cost a second for the 680k-row scale case.
 */
async function storedKeysAfterRun(
  store: Store,
  discovery: Discovery,
  plans: readonly PositionPlan[],
  failures: readonly Failure[],
): Promise<Map<string, number[]>> {
  const failed = new Set(failures.map((f) => `${f.positionId}|${f.timestamp}`));
  const counts = await countStatistics(store);
  const expected = new Map<string, number[]>();
  const recheck: string[] = [];
  for (const plan of plans) {
    const keys = new Set(discovery.existing.get(plan.positionId) ?? []);
    for (const t of plan.timestamps) if (!failed.has(`${plan.positionId}|${t}`)) keys.add(t);
    if ((counts.get(plan.positionId) ?? 0) === keys.size) {
      expected.set(
        plan.positionId,
        [...keys].sort((a, b) => a - b),
      );
    } else {
      recheck.push(plan.positionId);
    }
  }
  if (recheck.length > 0) {
    for (const [id, keys] of await loadStatisticKeys(store, recheck)) expected.set(id, keys);
  }
  return expected;
}
