import { describe, expect, it } from 'vitest';
import {
  adaptiveGrid,
  gridSpacing,
  planPosition,
  type PlanContext,
} from '../../src/domain/plan.js';
import { DAY, formatTime, HOUR } from '../../src/domain/time.js';
import { position, rebalance, t } from '../helpers/builders.js';

const NOW = t('2026-02-05 12:00:00');
const hourly = (from: number, to: number): number[] => {
  const out = [];
  for (let s = from; s <= to; s += HOUR) out.push(s);
  return out;
};
const context = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  now: NOW,
  sampling: 'adaptive',
  snapshotTimes: hourly(t('2025-10-01 00:00:00'), NOW),
  ...overrides,
});

describe('grid spacing by age', () => {
  it('switches at exactly 7 and 30 days', () => {
    expect(gridSpacing(7 * DAY - 1)).toBe(HOUR);
    expect(gridSpacing(7 * DAY)).toBe(4 * HOUR);
    expect(gridSpacing(30 * DAY - 1)).toBe(4 * HOUR);
    expect(gridSpacing(30 * DAY)).toBe(12 * HOUR);
  });

  it('puts a moment aged exactly 7 days on the 4-hour grid and exactly 30 days on the 12-hour grid', () => {
    // now - 7 d = 2026-01-29 12:00 (on the 4 h grid); now - 30 d = 2026-01-06 12:00 (12 h grid).
    const grid = adaptiveGrid(t('2026-01-06 00:00:00'), NOW, NOW).map(formatTime);
    expect(grid.slice(0, 3)).toEqual([
      '2026-01-06 12:00:00',
      '2026-01-06 16:00:00',
      '2026-01-06 20:00:00',
    ]);
    expect(grid).toContain('2026-01-29 08:00:00');
    expect(grid).not.toContain('2026-01-29 09:00:00');
    expect(grid).toContain('2026-01-29 12:00:00');
    expect(grid).toContain('2026-01-29 13:00:00');
    expect(grid).not.toContain('2026-01-06 13:00:00');
  });

  it('nests: a grid planned today is still on the grid a month later', () => {
    const today = adaptiveGrid(t('2025-11-01 00:00:00'), NOW, NOW);
    const later = NOW + 31 * DAY;
    // Every point the later plan wants up to today's now was already planned today.
    const laterGrid = new Set(adaptiveGrid(t('2025-11-01 00:00:00'), NOW, later));
    expect(today.filter((s) => !laterGrid.has(s))).not.toHaveLength(0);
    for (const s of laterGrid) expect(today).toContain(s);
  });

  it('is aligned to UTC midnight, not to the entry time', () => {
    const grid = adaptiveGrid(t('2025-11-01 07:13:00'), t('2025-11-03 00:00:00'), NOW).map(
      formatTime,
    );
    expect(grid).toEqual([
      '2025-11-01 12:00:00',
      '2025-11-02 00:00:00',
      '2025-11-02 12:00:00',
      '2025-11-03 00:00:00',
    ]);
  });
});

describe('planning one position', () => {
  it('plans entry, rebalance closings, the close, and grid samples', () => {
    const p = position({
      entryTimestamp: t('2026-02-04 10:30:00'),
      status: 'closed',
      closeTimestamp: t('2026-02-05 02:15:00'),
    });
    const row = rebalance({
      sequenceNumber: 1,
      openingTimestamp: p.entryTimestamp,
      closingTimestamp: t('2026-02-04 20:45:00'),
    });
    const plan = planPosition(p, [row], context()).map(formatTime);
    expect(plan[0]).toBe('2026-02-04 10:30:00');
    expect(plan).toContain('2026-02-04 11:00:00');
    expect(plan).toContain('2026-02-04 20:45:00');
    expect(plan[plan.length - 1]).toBe('2026-02-05 02:15:00');
    expect(plan).toHaveLength(1 + 16 + 1 + 1);
  });

  it('caps the end at now: a position closed after now is planned only up to now', () => {
    const p = position({
      entryTimestamp: t('2026-02-05 08:00:00'),
      status: 'closed',
      closeTimestamp: t('2026-02-06 00:00:00'),
    });
    const plan = planPosition(p, [], context());
    expect(plan.map(formatTime)).toEqual(
      ['08', '09', '10', '11', '12'].map((h) => `2026-02-05 ${h}:00:00`),
    );
  });

  it('caps the end at the newest snapshot', () => {
    const p = position({ entryTimestamp: t('2026-02-05 08:00:00') });
    const snapshotTimes = hourly(t('2026-02-01 00:00:00'), t('2026-02-05 09:30:00'));
    expect(planPosition(p, [], context({ snapshotTimes })).map(formatTime)).toEqual([
      '2026-02-05 08:00:00',
      '2026-02-05 09:00:00',
    ]);
    expect(planPosition(p, [], context({ snapshotTimes: [] }))).toEqual([]);
  });

  it('plans nothing for a position entered after the end', () => {
    expect(planPosition(position({ entryTimestamp: NOW + 1 }), [], context())).toEqual([]);
  });

  it('keeps only --start/--end (inclusive)', () => {
    const p = position({ entryTimestamp: t('2026-02-04 00:00:00') });
    const plan = planPosition(
      p,
      [],
      context({ start: t('2026-02-05 10:00:00'), end: t('2026-02-05 11:00:00') }),
    );
    expect(plan.map(formatTime)).toEqual(['2026-02-05 10:00:00', '2026-02-05 11:00:00']);
  });

  it('with snapshot sampling plans every snapshot time after entry, odd minutes included', () => {
    const p = position({ entryTimestamp: t('2025-12-01 00:00:00') });
    const snapshotTimes = [
      t('2025-11-30 23:00:00'),
      t('2025-12-01 00:00:00'),
      t('2025-12-01 00:28:00'),
      t('2025-12-20 05:00:00'),
    ];
    const plan = planPosition(p, [], context({ sampling: 'snapshots', snapshotTimes }));
    expect(plan.map(formatTime)).toEqual([
      '2025-12-01 00:00:00',
      '2025-12-01 00:28:00',
      '2025-12-20 05:00:00',
    ]);
  });
});
