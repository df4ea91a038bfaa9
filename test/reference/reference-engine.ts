/**
 * A deliberately naive statistic at T, written from SPEC-statistics.md alone: plain loops over
 * snapshot intervals, no cumulative sums, nothing shared with src/domain. Inputs are CSV rows.
 */
import type { CsvRow } from './csv-tables.js';

export const YEAR = 365 * 86400;

type Leg = '1a' | '2a' | '2b' | '3b';
const LEG_NAMES: readonly Leg[] = ['1a', '2a', '2b', '3b'];

export type RefErrorKind = 'OUT_OF_RANGE' | 'INVALID_POSITION_DATA' | 'NO_RATE_DATA';

export class RefError extends Error {
  constructor(
    readonly kind: RefErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface RefStatistic {
  total_pnl: number;
  total_earnings: number;
  base_earnings: number;
  reward_earnings: number;
  total_fees: number;
  current_value: number;
  realized_apr: number | null;
  current_apr: number | null;
  live_pnl: number;
  realized_pnl: number;
  /** current_apr is NULL because a leg's latest row is older than the limit (not at the close). */
  stale: boolean;
}

// ---- time, names -----------------------------------------------------------------------------

const parsed = new Map<string, number>();

/** UTC seconds of a CSV timestamp (`YYYY-MM-DD HH:MM:SS`, or ISO 8601 with a zone). */
export function utcSeconds(text: string): number {
  let seconds = parsed.get(text);
  if (seconds === undefined) {
    seconds = parseUtc(text);
    parsed.set(text, seconds);
  }
  return seconds;
}

function parseUtc(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (m !== null) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad time ${text}`);
  return Math.floor(ms / 1000);
}

export function formatUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** `0x0002::sui::SUI` -> `0x2::sui::SUI`; module and type names kept. */
export function normalizeCoinType(coinType: string): string {
  const parts = coinType.trim().split('::');
  const address = (parts[0] ?? '').toLowerCase().replace(/^0x/, '');
  let digits = address;
  while (digits.length > 1 && digits.startsWith('0')) digits = digits.slice(1);
  return ['0x' + digits, ...parts.slice(1)].join('::');
}

export function marketName(protocol: string, contract: string): string {
  return `${protocol.trim().toLowerCase()} ${normalizeCoinType(contract)}`;
}

const num = (row: CsvRow, key: string): number | null => {
  const v = row[key];
  if (v === null || v === undefined) return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`bad number ${key}=${v}`);
  return n;
};
const time = (row: CsvRow, key: string): number | null => {
  const v = row[key];
  return v === null || v === undefined ? null : utcSeconds(v);
};
const text = (row: CsvRow, key: string): string => row[key] ?? '';

// ---- rates: one resolved step per snapshot row ----------------------------------------------

interface Values {
  lendBase: number | null;
  lendReward: number | null;
  borrowBase: number | null;
  borrowReward: number | null;
  price: number | null;
  borrowFee: number | null;
}
interface Step {
  time: number;
  v: Values;
}

const COLUMNS: readonly (keyof Values)[] = [
  'lendBase',
  'lendReward',
  'borrowBase',
  'borrowReward',
  'price',
  'borrowFee',
];

/** Rate history of every market, NULL rules applied row by row in time order. */
export class ReferenceRates {
  private readonly markets = new Map<string, Step[]>();

  constructor(rows: readonly CsvRow[]) {
    const grouped = new Map<string, CsvRow[]>();
    for (const row of rows) {
      const key = marketName(text(row, 'protocol'), text(row, 'token_contract'));
      const list = grouped.get(key) ?? [];
      list.push(row);
      grouped.set(key, list);
    }
    for (const [key, list] of grouped) {
      const sorted = list
        .map((row) => ({ row, t: time(row, 'timestamp')! }))
        .sort((x, y) => x.t - y.t)
        .map(({ row }) => row);
      const steps: Step[] = [];
      const last: Values = {
        lendBase: null,
        lendReward: null,
        borrowBase: null,
        borrowReward: null,
        price: null,
        borrowFee: null,
      };
      for (const row of sorted) {
        const own: Values = {
          lendBase: num(row, 'lend_base_apr'),
          lendReward: num(row, 'lend_reward_apr'),
          borrowBase: num(row, 'borrow_base_apr'),
          borrowReward: num(row, 'borrow_reward_apr'),
          price: num(row, 'price_usd'),
          borrowFee: num(row, 'borrow_fee'),
        };
        // 1. what the row itself allows
        const lendTotal = num(row, 'lend_total_apr');
        const borrowTotal = num(row, 'borrow_total_apr');
        if (own.lendBase === null && lendTotal !== null && own.lendReward !== null) {
          own.lendBase = lendTotal - own.lendReward;
        }
        if (own.borrowBase === null && borrowTotal !== null && own.borrowReward !== null) {
          own.borrowBase = borrowTotal + own.borrowReward;
        }
        // 2. every value still NULL keeps the last known value of its column
        for (const c of COLUMNS) {
          if (own[c] !== null) last[c] = own[c];
        }
        const t = time(row, 'timestamp')!;
        if (steps.length > 0 && steps[steps.length - 1]!.time === t) {
          throw new Error(`reference: two rows for ${key} at ${formatUtc(t)}`);
        }
        steps.push({ time: t, v: { ...last } });
      }
      this.markets.set(key, steps);
    }
  }

  steps(protocol: string, contract: string): Step[] {
    return this.markets.get(marketName(protocol, contract)) ?? [];
  }
}

function valueAt(steps: readonly Step[], t: number): Step | undefined {
  let found: Step | undefined;
  for (const step of steps) {
    if (step.time <= t) found = step;
  }
  return found;
}

/** Integral over [a, b] of f(values in force), a plain sum over the snapshot intervals. */
function integrate(steps: readonly Step[], a: number, b: number, f: (v: Values) => number): number {
  let sum = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const next = steps[i + 1];
    const from = Math.max(step.time, a);
    const to = Math.min(next === undefined ? Infinity : next.time, b);
    if (to > from) sum += f(step.v) * (to - from);
  }
  return sum;
}

// ---- segments -------------------------------------------------------------------------------

interface Weights {
  lA: number;
  bA: number;
  lB: number;
  bB: number;
}
interface Segment {
  start: number;
  end: number | null;
  deployment: number;
  weights: Weights;
  prices: Record<Leg, number | null>;
  stored: Record<Leg, number | null>;
  /** The rebalance row's `realised_fees`; undefined for the segment of the positions row. */
  realisedFees: number | null | undefined;
}

const need = (value: number | null, what: string): number => {
  if (value === null) throw new Error(`reference: ${what} is NULL (spec silent)`);
  return value;
};
const legRecord = (f: (leg: Leg) => number | null): Record<Leg, number | null> => ({
  '1a': f('1a'),
  '2a': f('2a'),
  '2b': f('2b'),
  '3b': f('3b'),
});

function weightsOf(row: CsvRow, what: string): Weights {
  return {
    lA: need(num(row, 'l_a'), `${what} l_a`),
    bA: need(num(row, 'b_a'), `${what} b_a`),
    lB: need(num(row, 'l_b'), `${what} l_b`),
    bB: need(num(row, 'b_b'), `${what} b_b`),
  };
}

const isClosed = (position: CsvRow): boolean =>
  ['closed', 'liquidated'].includes((position['status'] ?? '').toLowerCase());

/** All segments of the position, independent of T; throws INVALID_POSITION_DATA. */
function segmentsOf(position: CsvRow, rebalances: readonly CsvRow[], at: number): Segment[] {
  const id = text(position, 'position_id');
  const entry = time(position, 'entry_timestamp')!;
  const close = isClosed(position) ? time(position, 'close_timestamp') : null;
  const rows = rebalances
    .filter((r) => r['closing_timestamp'] !== null)
    .sort((x, y) => num(x, 'sequence_number')! - num(y, 'sequence_number')!);

  const segments: Segment[] = [];
  let previous = entry;
  for (const row of rows) {
    const opening = time(row, 'opening_timestamp')!;
    const closing = time(row, 'closing_timestamp')!;
    if (opening !== previous || closing < opening) {
      throw new RefError(
        'INVALID_POSITION_DATA',
        `invalid position data for ${id} at ${formatUtc(at)}: rebalance rows not contiguous`,
      );
    }
    previous = closing;
    segments.push({
      start: opening,
      end: closing,
      deployment: need(num(row, 'deployment_usd'), 'rebalance deployment_usd'),
      weights: weightsOf(row, 'rebalance'),
      prices: legRecord((leg) => num(row, `opening_price_${leg}`)),
      stored: legRecord((leg) => num(row, `entry_token_amount_${leg}`)),
      realisedFees: num(row, 'realised_fees'),
    });
  }
  if (close !== null && previous > close) {
    throw new RefError(
      'INVALID_POSITION_DATA',
      `invalid position data for ${id} at ${formatUtc(at)}: rows run past the close`,
    );
  }
  // With no rows at all, the positions row describes the whole life, even a zero-length one.
  if (close === null || previous < close || rows.length === 0) {
    segments.push({
      start: previous,
      end: close,
      deployment: need(num(position, 'deployment_usd'), 'deployment_usd'),
      weights: weightsOf(position, 'position'),
      prices: legRecord((leg) => num(position, `entry_price_${leg}`)),
      stored: legRecord(() => null),
      realisedFees: undefined,
    });
  }
  return segments;
}

// ---- the statistic at T ---------------------------------------------------------------------

interface LegMarket {
  protocol: string;
  contract: string;
  lend: boolean;
}

function legMarkets(position: CsvRow): Record<Leg, LegMarket> {
  const a = text(position, 'protocol_a');
  const b = text(position, 'protocol_b');
  return {
    '1a': { protocol: a, contract: text(position, 'token1_contract'), lend: true },
    '2a': { protocol: a, contract: text(position, 'token2_contract'), lend: false },
    '2b': { protocol: b, contract: text(position, 'token2_contract'), lend: true },
    '3b': { protocol: b, contract: text(position, 'token3_contract'), lend: false },
  };
}

export interface ReferenceOptions {
  maxRateAgeSeconds?: number;
}

export function referenceStatistic(
  position: CsvRow,
  rebalances: readonly CsvRow[],
  rates: ReferenceRates,
  at: number,
  options: ReferenceOptions = {},
): RefStatistic {
  const maxAge = options.maxRateAgeSeconds ?? 24 * 3600;
  const id = text(position, 'position_id');
  const entry = time(position, 'entry_timestamp')!;
  const close = isClosed(position) ? time(position, 'close_timestamp') : null;
  if (at < entry || (close !== null && at > close)) {
    throw new RefError('OUT_OF_RANGE', `no statistic for ${id} at ${formatUtc(at)}`);
  }

  const segments = segmentsOf(position, rebalances, at);
  const markets = legMarkets(position);
  const anyRowClosed = segments.some((s) => s.realisedFees !== undefined && s.end! <= at);
  const fee2a = num(position, 'entry_borrow_fee_2a') ?? 0;
  const fee3b = num(position, 'entry_borrow_fee_3b') ?? 0;

  let base = 0;
  let reward = 0;
  let fees = 0;
  let realized = 0;
  let live = 0;
  let open: Segment | undefined;
  let last: Segment | undefined;
  for (const seg of segments) {
    if (seg.start > at) continue;
    last = seg;
    for (const leg of LEG_NAMES) {
      const m = markets[leg];
      const v = valueAt(rates.steps(m.protocol, m.contract), seg.start);
      const legBase = v === undefined ? null : m.lend ? v.v.lendBase : v.v.borrowBase;
      if (v === undefined || legBase === null || v.v.price === null) {
        throw new RefError(
          'NO_RATE_DATA',
          `no rate data for ${m.protocol} ${m.contract} at or before ${formatUtc(seg.start)}`,
        );
      }
    }

    const amount = (leg: '1a' | '2a' | '3b', weight: number): number =>
      seg.stored[leg] ?? (weight * seg.deployment) / need(seg.prices[leg], `price ${leg}`);
    const amount2a = amount('2a', seg.weights.bA);
    const amounts: Record<Leg, number> = {
      '1a': amount('1a', seg.weights.lA),
      '2a': amount2a,
      '2b': seg.stored['2b'] ?? amount2a,
      '3b': amount('3b', seg.weights.bB),
    };
    const to = seg.end === null ? at : Math.min(seg.end, at);
    let segBase = 0;
    let segReward = 0;
    for (const leg of LEG_NAMES) {
      const m = markets[leg];
      const steps = rates.steps(m.protocol, m.contract);
      const b = integrate(
        steps,
        seg.start,
        to,
        (v) => v.price! * (m.lend ? v.lendBase! : v.borrowBase!),
      );
      const r = integrate(
        steps,
        seg.start,
        to,
        (v) => v.price! * ((m.lend ? v.lendReward : v.borrowReward) ?? 0),
      );
      segBase += ((m.lend ? 1 : -1) * amounts[leg] * b) / YEAR;
      segReward += (amounts[leg] * r) / YEAR;
    }

    const closedByRow = seg.realisedFees !== undefined && seg.end! <= at;
    const endedByClose = seg.realisedFees === undefined && close !== null && at === close;
    const entryFees = anyRowClosed
      ? 0
      : seg.deployment * (seg.weights.bA * fee2a + seg.weights.bB * fee3b);
    const segFees = closedByRow ? (seg.realisedFees ?? 0) : entryFees;
    base += segBase;
    reward += segReward;
    fees += segFees;
    if (closedByRow || endedByClose) {
      realized += segBase + segReward - segFees;
    } else {
      open = seg;
      live += segBase + segReward - segFees;
    }
  }

  const deployment = (open ?? last)!.deployment;
  const totalPnl = realized + live;
  const apr = open === undefined ? null : currentApr(open, markets, rates, at, maxAge);
  return {
    total_pnl: totalPnl,
    total_earnings: base + reward,
    base_earnings: base,
    reward_earnings: reward,
    total_fees: fees,
    current_value: deployment + totalPnl,
    realized_apr: at === entry ? null : ((totalPnl / deployment) * YEAR) / (at - entry),
    current_apr: apr,
    live_pnl: live,
    realized_pnl: realized,
    stale: open !== undefined && apr === null,
  };
}

function currentApr(
  seg: Segment,
  markets: Record<Leg, LegMarket>,
  rates: ReferenceRates,
  at: number,
  maxAge: number,
): number | null {
  const v = {} as Record<Leg, Values>;
  for (const leg of LEG_NAMES) {
    const m = markets[leg];
    const step = valueAt(rates.steps(m.protocol, m.contract), at);
    if (step === undefined || at - step.time > maxAge) return null;
    v[leg] = step.v;
  }
  const lendTotal = (x: Values): number => x.lendBase! + (x.lendReward ?? 0);
  const borrowTotal = (x: Values): number => x.borrowBase! - (x.borrowReward ?? 0);
  const w = seg.weights;
  return (
    w.lA * lendTotal(v['1a']) +
    w.lB * lendTotal(v['2b']) -
    w.bA * borrowTotal(v['2a']) -
    w.bB * borrowTotal(v['3b']) -
    (w.bA * (v['2a'].borrowFee ?? 0) + w.bB * (v['3b'].borrowFee ?? 0))
  );
}
