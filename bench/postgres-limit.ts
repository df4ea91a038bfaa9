/**
 * The limit a backfill is measured against, on PostgreSQL: one plain SELECT of the rate rows,
 * then COPY of `rows` statistic rows into a scratch table shaped like position_statistics (its
 * columns, key and indexes), in one transaction, through the store's own pool.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { formatTime } from '../src/domain/time.js';
import { openStore } from '../src/store/connection.js';
import { copyLine, type CopyValue } from '../src/store/copy-text.js';

export interface PostgresLimit {
  selectSeconds: number;
  copySeconds: number;
  rateRows: number;
}

const SCRATCH = 'bench_statistics';

const RATE_COLUMNS =
  'timestamp, protocol, token_contract, lend_base_apr, lend_reward_apr, lend_total_apr, ' +
  'borrow_base_apr, borrow_reward_apr, borrow_total_apr, price_usd, borrow_fee';

const STATISTIC_COLUMNS =
  'position_id, timestamp, total_pnl, total_earnings, base_earnings, reward_earnings, ' +
  'total_fees, current_value, realized_apr, current_apr, live_pnl, realized_pnl, ' +
  'calculation_timestamp';

/** Lines per chunk written to the COPY stream. */
const CHUNK_LINES = 2000;

export async function postgresLimit(
  url: string,
  rows: number,
  positions: readonly string[],
): Promise<PostgresLimit> {
  const store = await openStore(url);
  const pool = store.pool!;
  try {
    let started = performance.now();
    const rates = await pool.query({
      text: `SELECT ${RATE_COLUMNS} FROM rates_snapshot`,
      rowMode: 'array',
    });
    const selectSeconds = (performance.now() - started) / 1000;

    await pool.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
    await pool.query(`CREATE TABLE ${SCRATCH} (LIKE position_statistics INCLUDING ALL)`);
    // Keys are made before the clock starts, as in the SQLite limit; the text of the rows is
    // made inside it, since spelling values is the driver's share of any write.
    const base = Date.UTC(2024, 0, 1) / 1000;
    const perPosition = Math.ceil(rows / positions.length);
    const keys = Array.from({ length: rows }, (_, i) => ({
      position: positions[Math.floor(i / perPosition)]!,
      timestamp: formatTime(base + (i % perPosition) * 3600),
    }));

    const client = await pool.connect();
    try {
      started = performance.now();
      await client.query('BEGIN');
      const copy = client.query(copyFrom(`COPY ${SCRATCH} (${STATISTIC_COLUMNS}) FROM STDIN`));
      await pipeline(Readable.from(copyChunks(keys)), copy);
      await client.query('COMMIT');
      const copySeconds = (performance.now() - started) / 1000;
      return { selectSeconds, copySeconds, rateRows: rates.rows.length };
    } finally {
      client.release();
      await pool.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
    }
  } finally {
    await store.close();
  }
}

/**
 * Rows shaped like a backfill's: full-precision doubles (a statistic's metrics are, and their
 * text is three times as long as a small integer's), NULL-free, one calculation time.
 */
function* copyChunks(keys: readonly { position: string; timestamp: string }[]): Generator<string> {
  let chunk = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const x = i / 7 + 0.1;
    const values: CopyValue[] = [
      key.position,
      key.timestamp,
      x * 3.3,
      x * 1.1,
      x * 0.9,
      x * 0.2,
      x / 13,
      1000 + x,
      0.1 + x / 1e6,
      0.1 - x / 1e6,
      x * 2.1,
      x / 3,
      '2026-01-01 00:00:00',
    ];
    chunk += copyLine(values);
    if ((i + 1) % CHUNK_LINES === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
