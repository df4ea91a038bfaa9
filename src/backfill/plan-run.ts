/** Planning for a whole run: per-position plans after gap filling (or --force). */
import { planPosition, planWindow, withoutExisting, type PlanContext } from '../domain/plan.js';
import type { Discovery } from './discovery.js';
import type { BackfillOptions, PositionPlan } from './types.js';

export function planRun(discovery: Discovery, options: BackfillOptions): PositionPlan[] {
  const context: PlanContext = {
    now: options.now,
    sampling: options.sampling,
    snapshotTimes: discovery.snapshotTimes,
    start: options.start,
    end: options.end,
  };
  return discovery.positions.map((position) => {
    const id = position.positionId;
    const rows = discovery.rebalances.get(id) ?? [];
    const stored = discovery.existing.get(id) ?? [];
    const window = planWindow(position, context);
    const inWindow = window === null ? [] : stored.filter((s) => s >= window[0] && s <= window[1]);
    const explicit = options.explicit?.get(id);
    const planned = explicit === undefined ? planPosition(position, rows, context) : [...explicit];
    if (options.explicit && explicit === undefined) planned.length = 0;
    const timestamps = options.force
      ? [...new Set([...planned, ...inWindow])].sort((a, b) => a - b)
      : withoutExisting(planned, inWindow);
    return {
      positionId: id,
      status: position.status,
      entry: position.entryTimestamp,
      timestamps,
      existing: inWindow.length,
    };
  });
}
