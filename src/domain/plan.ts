/**
 * Which (position, timestamp) pairs a backfill computes: events plus samples on a UTC grid
 * chosen by age (adaptive) or at every snapshot time (snapshots). Pure and deterministic.
 */
import { DAY, HOUR } from './time.js';
import type { Position, RebalanceRow } from './types.js';

export type Sampling = 'adaptive' | 'snapshots';

export const SAMPLINGS: readonly Sampling[] = ['adaptive', 'snapshots'];

export interface PlanContext {
  now: number;
  sampling: Sampling;
  /** Distinct snapshot times of all markets, ascending. Empty: nothing is planned. */
  snapshotTimes: ArrayLike<number>;
  /** Inclusive range limits from --start / --end. */
  start?: number | null;
  end?: number | null;
}

/** Grid spacing for a moment of the given age (now - s). */
export function gridSpacing(age: number): number {
  if (age >= 30 * DAY) return 12 * HOUR;
  if (age >= 7 * DAY) return 4 * HOUR;
  return HOUR;
}

/** The moment the plan ends: the earliest of close, now and the newest snapshot; null if none. */
export function planEnd(position: Position, context: PlanContext): number | null {
  const snapshots = context.snapshotTimes;
  if (snapshots.length === 0) return null;
  let end = Math.min(context.now, snapshots[snapshots.length - 1]!);
  const close = closeOf(position);
  if (close !== null) end = Math.min(end, close);
  return end < position.entryTimestamp ? null : end;
}

/** The inclusive window a position's plan covers (plan end and --start/--end applied), or null. */
export function planWindow(position: Position, context: PlanContext): [number, number] | null {
  const end = planEnd(position, context);
  if (end === null) return null;
  const from = Math.max(position.entryTimestamp, context.start ?? -Infinity);
  const to = Math.min(end, context.end ?? Infinity);
  return from <= to ? [from, to] : null;
}

/** Every planned timestamp of a position, ascending and distinct (before gap filling). */
export function planPosition(
  position: Position,
  rebalances: readonly RebalanceRow[],
  context: PlanContext,
): number[] {
  const end = planEnd(position, context);
  const window = planWindow(position, context);
  if (end === null || window === null) return [];
  const [from, to] = window;
  const entry = position.entryTimestamp;

  const times = new Set<number>();
  const keep = (s: number): void => {
    if (s >= from && s <= to) times.add(s);
  };

  keep(entry);
  for (const row of rebalances) {
    if (row.closingTimestamp !== null && row.closingTimestamp <= end) keep(row.closingTimestamp);
  }
  const close = closeOf(position);
  if (close !== null) keep(close);

  if (context.sampling === 'snapshots') {
    for (const s of snapshotsBetween(context.snapshotTimes, Math.max(entry, from - 1), to)) keep(s);
  } else {
    for (const s of adaptiveGrid(Math.max(entry, from - 1), to, context.now)) keep(s);
  }
  return [...times].sort((a, b) => a - b);
}

/** Grid moments s with after < s <= until, 12-, 4- or 1-hourly by age, aligned to UTC midnight. */
export function adaptiveGrid(after: number, until: number, now: number): number[] {
  const zones: [number, number, number][] = [
    [-Infinity, now - 30 * DAY, 12 * HOUR],
    [now - 30 * DAY, now - 7 * DAY, 4 * HOUR],
    [now - 7 * DAY, Infinity, HOUR],
  ];
  const result: number[] = [];
  for (const [zoneAfter, zoneUntil, step] of zones) {
    // Zone 12 h holds ages >= 30 d (s <= now - 30 d); the next ones start just after.
    const lower = Math.max(after, zoneAfter);
    const upper = Math.min(until, zoneUntil);
    for (let s = Math.floor(lower / step) * step + step; s <= upper; s += step) result.push(s);
  }
  return result;
}

function snapshotsBetween(times: ArrayLike<number>, after: number, until: number): number[] {
  const result: number[] = [];
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < times.length && times[i]! <= until; i++) result.push(times[i]!);
  return result;
}

/** The close of a closed (or liquidated) position; null while it is active. */
export function closeOf(position: Position): number | null {
  return position.status === 'active' ? null : position.closeTimestamp;
}

/** Drops planned times that already have a stored row (both ascending). */
export function withoutExisting(planned: readonly number[], existing: readonly number[]): number[] {
  const stored = new Set(existing);
  return planned.filter((s) => !stored.has(s));
}
