/**
 * The limit a backfill is measured against, on SQLite: one plain SELECT of the rate rows, then a
 * raw insert of `rows` position_statistics rows through the same driver, in one prepared,
 * transactional loop. Runs on a copy of the imported database.
 */
import Database from 'better-sqlite3';

export interface LimitResult {
  selectSeconds: number;
  insertSeconds: number;
  rateRows: number;
}

export function sqliteLimit(file: string, rows: number, positions: string[]): LimitResult {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  try {
    let started = performance.now();
    const rates = db
      .prepare(
        'SELECT timestamp, protocol, token_contract, lend_base_apr, lend_reward_apr, lend_total_apr, ' +
          'borrow_base_apr, borrow_reward_apr, borrow_total_apr, price_usd, borrow_fee FROM rates_snapshot',
      )
      .raw(true)
      .all();
    const selectSeconds = (performance.now() - started) / 1000;

    const insert = db.prepare(
      'INSERT INTO position_statistics (position_id, timestamp, total_pnl, total_earnings, ' +
        'base_earnings, reward_earnings, total_fees, current_value, realized_apr, current_apr, ' +
        'live_pnl, realized_pnl, calculation_timestamp) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    const base = Date.UTC(2024, 0, 1) / 1000;
    const perPosition = Math.ceil(rows / positions.length);
    const stamp = (s: number): string =>
      new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
    // Keys are made before the clock starts: the limit times the driver and the database only.
    const keys = Array.from({ length: rows }, (_, i) => ({
      position: positions[Math.floor(i / perPosition)]!,
      timestamp: stamp(base + (i % perPosition) * 3600),
    }));
    started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const key = keys[i]!;
        insert.run(
          key.position,
          key.timestamp,
          i,
          i,
          i,
          0,
          1,
          1000 + i,
          0.1,
          0.1,
          i,
          0,
          '2026-01-01 00:00:00',
        );
      }
    })();
    return {
      selectSeconds,
      insertSeconds: (performance.now() - started) / 1000,
      rateRows: rates.length,
    };
  } finally {
    db.close();
  }
}
