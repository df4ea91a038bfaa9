/** Reads of rates_snapshot: markets, rate rows, snapshot instants. */
import { DAY, formatTime } from '../domain/time.js';
import { textBelow, textFrom } from './text-bounds.js';
import type { RateRow } from '../domain/types.js';
import type { Store } from './connection.js';
import { cachedTimeReader, ColumnValueError, optionalNumber } from './row-reader.js';

/** A market as spelled in rates_snapshot (not normalized). */
export interface RawMarket {
  protocol: string;
  tokenContract: string;
}

export interface RateRowOptions {
  /** Only rows at or before this instant (UTC seconds). */
  upTo?: number;
}

/** Column order of the raw reads below; RateRow fields follow it. */
const RATE_COLUMNS = [
  'timestamp',
  'protocol',
  'token_contract',
  'lend_base_apr',
  'lend_reward_apr',
  'lend_total_apr',
  'borrow_base_apr',
  'borrow_reward_apr',
  'borrow_total_apr',
  'price_usd',
  'borrow_fee',
] as const;

type RawRateRow = unknown[];

export async function listMarkets(store: Store): Promise<RawMarket[]> {
  const rows = await store.db
    .selectFrom('rates_snapshot')
    .select(['protocol as protocol', 'token_contract as token_contract'])
    .distinct()
    .orderBy('protocol')
    .orderBy('token_contract')
    .execute();
  return rows.map((row) => ({ protocol: row.protocol, tokenContract: row.token_contract }));
}

/**
 * The rate rows of the given markets, grouped by market in the order asked, each market's rows
 * ascending by time. Protocols and coin types are returned as stored.
 */
export async function loadRateRows(
  store: Store,
  markets: readonly RawMarket[],
  opts: RateRowOptions = {},
): Promise<RateRow[]> {
  if (markets.length === 0) return [];
  const raw =
    store.sqlite === undefined
      ? await postgresRateRows(store, markets, opts)
      : sqliteRateRows(store, markets, opts);

  const readTime = cachedTimeReader();
  const rows: RateRow[] = [];
  for (const group of raw) {
    const start = rows.length;
    for (const values of group) {
      const row = toRateRow(values, readTime);
      if (opts.upTo === undefined || row.timestamp <= opts.upTo) rows.push(row);
    }
    sortRange(rows, start);
  }
  return rows;
}

function sqliteRateRows(
  store: Store,
  markets: readonly RawMarket[],
  opts: RateRowOptions,
): RawRateRow[][] {
  const columns = RATE_COLUMNS.join(', ');
  const bounded = opts.upTo !== undefined;
  const statement = store.sqlite!.prepare(
    `SELECT ${columns} FROM rates_snapshot WHERE protocol = ? AND token_contract = ?` +
      (bounded ? ' AND timestamp < ?' : '') +
      ' ORDER BY timestamp',
  );
  statement.raw(true);
  const bound = bounded ? textBelow(opts.upTo!) : undefined;
  return markets.map((market) => {
    const params = [market.protocol, market.tokenContract];
    return (bounded ? statement.all(...params, bound) : statement.all(...params)) as RawRateRow[];
  });
}

async function postgresRateRows(
  store: Store,
  markets: readonly RawMarket[],
  opts: RateRowOptions,
): Promise<RawRateRow[][]> {
  const columns = RATE_COLUMNS.join(', ');
  const result = await store.pool!.query<RawRateRow>({
    text:
      `SELECT ${columns} FROM rates_snapshot r ` +
      'JOIN unnest($1::text[], $2::text[]) WITH ORDINALITY AS m(protocol, token_contract, ord) ' +
      'USING (protocol, token_contract) ' +
      'WHERE ($3::timestamp IS NULL OR r.timestamp <= $3::timestamp) ' +
      'ORDER BY m.ord, r.timestamp',
    values: [
      markets.map((market) => market.protocol),
      markets.map((market) => market.tokenContract),
      opts.upTo === undefined ? null : formatTime(opts.upTo),
    ],
    rowMode: 'array',
  });

  const groups = new Map<string, RawRateRow[]>();
  for (const values of result.rows) {
    const key = `${String(values[1])}\u0000${String(values[2])}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [values]);
    else group.push(values);
  }
  return markets.map(
    (market) => groups.get(`${market.protocol}\u0000${market.tokenContract}`) ?? [],
  );
}

function toRateRow(values: RawRateRow, readTime: (text: string) => number): RateRow {
  return {
    timestamp: readTime(String(values[0])),
    protocol: String(values[1]),
    tokenContract: String(values[2]),
    lendBaseApr: num(values[3], 'lend_base_apr'),
    lendRewardApr: num(values[4], 'lend_reward_apr'),
    lendTotalApr: num(values[5], 'lend_total_apr'),
    borrowBaseApr: num(values[6], 'borrow_base_apr'),
    borrowRewardApr: num(values[7], 'borrow_reward_apr'),
    borrowTotalApr: num(values[8], 'borrow_total_apr'),
    priceUsd: num(values[9], 'price_usd'),
    borrowFee: num(values[10], 'borrow_fee'),
  };
}

function num(value: unknown, column: string): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === null) return null;
  try {
    return optionalNumber({ [column]: value }, column);
  } catch (error) {
    if (error instanceof ColumnValueError) throw new Error(`rates_snapshot.${error.message}`);
    throw error;
  }
}

/** Text order equals time order for canonical stamps; mixed spellings need a real sort. */
function sortRange(rows: RateRow[], start: number): void {
  for (let i = start + 1; i < rows.length; i++) {
    if (rows[i]!.timestamp < rows[i - 1]!.timestamp) {
      const sorted = rows.slice(start).sort((a, b) => a.timestamp - b.timestamp);
      rows.splice(start, sorted.length, ...sorted);
      return;
    }
  }
}

/** Sorted distinct instants of rates_snapshot. */
export async function snapshotTimes(store: Store): Promise<number[]> {
  const rows = await store.db
    .selectFrom('rates_snapshot')
    .select('timestamp as timestamp')
    .distinct()
    .execute();
  return uniqueSorted(rows.map((row) => row.timestamp));
}

/** The newest rates_snapshot instant of any market, or null when the table is empty. */
export async function newestSnapshot(store: Store): Promise<number | null> {
  const newest = await store.db
    .selectFrom('rates_snapshot')
    .select((eb) => eb.fn.max('timestamp').as('timestamp'))
    .executeTakeFirst();
  const text = newest?.timestamp ?? null;
  if (text === null) return null;
  if (store.dialect === 'postgres') return cachedTimeReader()(text);

  // SQLite compares text: the newest instant lies within a day of the greatest stamp.
  const nearby = await store.db
    .selectFrom('rates_snapshot')
    .select('timestamp as timestamp')
    .distinct()
    .where('timestamp', '>=', textFrom(cachedTimeReader()(text) - DAY))
    .execute();
  return uniqueSorted(nearby.map((row) => row.timestamp)).at(-1) ?? null;
}

function uniqueSorted(stamps: readonly string[]): number[] {
  const readTime = cachedTimeReader();
  const instants = [...new Set(stamps.map((stamp) => readTime(stamp)))];
  return instants.sort((a, b) => a - b);
}
