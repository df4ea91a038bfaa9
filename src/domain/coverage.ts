/**
 * Coverage: at every snapshot time T inside a position's [entry, end], the dashboard's query
 * (latest statistic at or before T) must find a row recent enough.
 */
import { gridSpacing, type Sampling } from './plan.js';

export interface CoverageGap {
  /** The snapshot time that is not covered. */
  at: number;
  /** The latest stored statistic at or before it, or null. */
  latest: number | null;
}

/**
 * A row covers T when it is at T exactly (snapshot sampling) or, with adaptive sampling, when
 * T - row <= the grid spacing at the row's age. The spacing is taken at the row's age rather
 * than T's, because near the 7- and 30-day boundaries a complete adaptive plan leaves gaps
 * longer than the finer spacing on T's side.
 */
export function coverageGaps(
  snapshotTimes: ArrayLike<number>,
  stored: readonly number[],
  window: [number, number],
  now: number,
  sampling: Sampling,
): { checked: number; gaps: CoverageGap[] } {
  const [from, to] = window;
  const gaps: CoverageGap[] = [];
  let checked = 0;
  let j = -1;
  for (let i = 0; i < snapshotTimes.length; i++) {
    const at = snapshotTimes[i]!;
    if (at < from) continue;
    if (at > to) break;
    checked++;
    while (j + 1 < stored.length && stored[j + 1]! <= at) j++;
    const latest = j >= 0 ? stored[j]! : null;
    const ok =
      latest !== null &&
      (sampling === 'snapshots' ? latest === at : at - latest <= gridSpacing(now - latest));
    if (!ok) gaps.push({ at, latest });
  }
  return { checked, gaps };
}
