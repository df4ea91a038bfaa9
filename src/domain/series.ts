/**
 * A market's rates over time as step functions, with cumulative integrals so that any
 * span's earnings cost two lookups. Built once per market from its snapshot rows.
 */
import type { RateRow } from './types.js';

/** The quantities a leg integrates: price times an APR, per side. */
export type Integrand = 'lendBase' | 'lendReward' | 'borrowBase' | 'borrowReward';

const INTEGRANDS: readonly Integrand[] = ['lendBase', 'lendReward', 'borrowBase', 'borrowReward'];

/** Values in force at one moment; NaN where the column has never been known. */
export interface RatesInForce {
  /** Time of the latest row at or before the moment. */
  rowTime: number;
  lendBase: number;
  lendReward: number;
  borrowBase: number;
  borrowReward: number;
  price: number;
  borrowFee: number;
}

export interface Carried {
  lendBase: number;
  lendReward: number;
  borrowBase: number;
  borrowReward: number;
  price: number;
  borrowFee: number;
}

/** Compensated running sum (hi + lo) so that differences of large totals stay exact. */
interface Cumulative {
  hi: Float64Array;
  lo: Float64Array;
}

export class MarketSeries {
  private constructor(
    /** Distinct row times, ascending. */
    readonly times: Float64Array,
    private readonly values: Record<keyof Carried, Float64Array>,
    private readonly cumulative: Record<Integrand, Cumulative>,
  ) {}

  /** Builds the series from rows of one market (any order; rows at the same time merge in order). */
  static fromRows(rows: readonly RateRow[]): MarketSeries {
    const sorted = [...rows].sort((a, b) => a.timestamp - b.timestamp);
    const times: number[] = [];
    const steps: Carried[] = [];
    let carried: Carried = {
      lendBase: NaN,
      lendReward: NaN,
      borrowBase: NaN,
      borrowReward: NaN,
      price: NaN,
      borrowFee: NaN,
    };

    for (const row of sorted) {
      carried = applyRow(carried, row);
      if (times.length > 0 && times[times.length - 1] === row.timestamp) {
        steps[steps.length - 1] = carried;
      } else {
        times.push(row.timestamp);
        steps.push(carried);
      }
    }

    const n = times.length;
    const column = (key: keyof Carried): Float64Array => Float64Array.from(steps, (s) => s[key]);
    const values = {
      lendBase: column('lendBase'),
      lendReward: column('lendReward'),
      borrowBase: column('borrowBase'),
      borrowReward: column('borrowReward'),
      price: column('price'),
      borrowFee: column('borrowFee'),
    };
    const timeArray = Float64Array.from(times);
    const cumulative = {} as Record<Integrand, Cumulative>;
    for (const integrand of INTEGRANDS) {
      cumulative[integrand] = accumulate(
        timeArray,
        values.price,
        rewardAware(values, integrand),
        n,
      );
    }
    return new MarketSeries(timeArray, values, cumulative);
  }

  get length(): number {
    return this.times.length;
  }

  /** Index of the latest row at or before `t`, or -1. `hint` speeds up ascending lookups. */
  indexAt(t: number, hint = 0): number {
    const times = this.times;
    const n = times.length;
    if (n === 0 || t < times[0]!) return -1;
    let i = hint >= 0 && hint < n && times[hint]! <= t ? hint : -1;
    if (i >= 0) {
      // Ascending callers move a few steps at a time; gallop only a little before bisecting.
      for (let steps = 0; steps < 8; steps++) {
        if (i + 1 >= n || times[i + 1]! > t) return i;
        i++;
      }
    }
    let lo = Math.max(i, 0);
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The values in force at `t`, or null when the market has no row at or before `t`. */
  inForce(t: number, hint = 0): RatesInForce | null {
    const i = this.indexAt(t, hint);
    if (i < 0) return null;
    const v = this.values;
    return {
      rowTime: this.times[i]!,
      lendBase: v.lendBase[i]!,
      lendReward: v.lendReward[i]!,
      borrowBase: v.borrowBase[i]!,
      borrowReward: v.borrowReward[i]!,
      price: v.price[i]!,
      borrowFee: v.borrowFee[i]!,
    };
  }

  /**
   * Integral of price * APR over [a, b], given ia = indexAt(a) and ib = indexAt(b). The totals
   * up to each row are compensated sums (hi + lo), so the difference stays exact for short spans.
   */
  spanIntegral(integrand: Integrand, a: number, ia: number, b: number, ib: number): number {
    const cum = this.cumulative[integrand];
    const times = this.times;
    const partials =
      this.stepValue(integrand, ib) * (b - times[ib]!) -
      this.stepValue(integrand, ia) * (a - times[ia]!);
    return cum.hi[ib]! - cum.hi[ia]! + (cum.lo[ib]! - cum.lo[ia]! + partials);
  }

  /** The value of a column in force at row i (NaN where never known). */
  valueAt(column: keyof Carried, i: number): number {
    return this.values[column][i]!;
  }

  /** price * APR of step i (0 where the APR has never been known; callers check the base). */
  stepValue(integrand: Integrand, i: number): number {
    const apr = this.values[integrand][i]!;
    const price = this.values.price[i]!;
    const value = price * apr;
    return Number.isNaN(value) ? 0 : value;
  }

  /** Integral of price * APR over [a, b], with a and b at or after the first row. */
  integral(integrand: Integrand, a: number, b: number): number {
    const ia = this.indexAt(a);
    return this.spanIntegral(integrand, a, ia, b, this.indexAt(b, ia));
  }
}

/** Rewards never known count as 0; bases stay NaN so that "never known" is detectable. */
function rewardAware(
  values: Record<keyof Carried, Float64Array>,
  integrand: Integrand,
): Float64Array {
  const source = values[integrand];
  if (integrand === 'lendReward' || integrand === 'borrowReward') {
    return source.map((v) => (Number.isNaN(v) ? 0 : v));
  }
  return source;
}

function accumulate(
  times: Float64Array,
  prices: Float64Array,
  aprs: Float64Array,
  n: number,
): Cumulative {
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  let sum = 0;
  let compensation = 0;
  for (let i = 1; i < n; i++) {
    const step = prices[i - 1]! * aprs[i - 1]!;
    const term = Number.isNaN(step) ? 0 : step * (times[i]! - times[i - 1]!);
    // Neumaier's two-sum keeps the rounding error of every addition in `compensation`.
    const next = sum + term;
    if (Math.abs(sum) >= Math.abs(term)) compensation += sum - next + term;
    else compensation += term - next + sum;
    sum = next;
    hi[i] = sum;
    lo[i] = compensation;
  }
  return { hi, lo };
}

function pick(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** Applies one row: derive what the row itself allows, then carry every NULL forward. */
function applyRow(previous: Carried, row: RateRow): Carried {
  const lendReward = pick(row.lendRewardApr);
  const borrowReward = pick(row.borrowRewardApr);
  let lendBase = pick(row.lendBaseApr);
  let borrowBase = pick(row.borrowBaseApr);
  const lendTotal = pick(row.lendTotalApr);
  const borrowTotal = pick(row.borrowTotalApr);
  if (lendBase === null && lendTotal !== null && lendReward !== null) {
    lendBase = lendTotal - lendReward;
  }
  if (borrowBase === null && borrowTotal !== null && borrowReward !== null) {
    borrowBase = borrowTotal + borrowReward;
  }
  return {
    lendBase: lendBase ?? previous.lendBase,
    lendReward: lendReward ?? previous.lendReward,
    borrowBase: borrowBase ?? previous.borrowBase,
    borrowReward: borrowReward ?? previous.borrowReward,
    price: pick(row.priceUsd) ?? previous.price,
    borrowFee: pick(row.borrowFee) ?? previous.borrowFee,
  };
}
