/**
 * Keeps `token_registry` up to date with the coins a refresh saw: a row per reserve and reward
 * coin, its symbol when the registry has none, the `seen_*` flags (set, never cleared) and
 * `first_seen` / `last_seen` widened to include the snapshot time.
 */
import type { Kysely } from 'kysely';

import { normalizeCoinType, normalizeProtocol } from '../domain/market.js';
import { readStoredTime } from '../domain/time.js';
import type { CellValue } from '../io/cell-schemas.js';
import { applyTable, type TableCounts } from '../io/import-apply.js';
import { rowsTable } from '../io/row-table.js';
import type { Store } from '../store/connection.js';
import type { Database } from '../store/schema.js';
import { readTableRows } from '../store/table-rows.js';
import type { RatesRow } from './readers/types.js';

const FLAGS = [
  'seen_on_navi',
  'seen_on_alphafi',
  'seen_on_suilend',
  'seen_as_reserve',
  'seen_as_reward_lend',
  'seen_as_reward_borrow',
] as const;

type Flag = (typeof FLAGS)[number];

const COLUMNS = ['token_contract', 'symbol', ...FLAGS, 'first_seen', 'last_seen'] as const;

/** Scallop has no flag of its own in the registry; its reserves set `seen_as_reserve` only. */
const PROTOCOL_FLAGS: Record<string, Flag> = {
  navi: 'seen_on_navi',
  alphafi: 'seen_on_alphafi',
  suilend: 'seen_on_suilend',
};

interface Sighting {
  symbol: string | null;
  flags: Set<Flag>;
}

/** What the rows say about each coin, by normalized coin type. */
export function sightings(rows: readonly RatesRow[]): Map<string, Sighting> {
  const seen = new Map<string, Sighting>();
  const note = (coin: string, symbol: string | null, flags: Flag[]): void => {
    const key = normalizeCoinType(coin);
    const entry = seen.get(key) ?? { symbol: null, flags: new Set<Flag>() };
    entry.symbol ??= symbol;
    for (const flag of flags) entry.flags.add(flag);
    seen.set(key, entry);
  };

  for (const row of rows) {
    const protocolFlag = PROTOCOL_FLAGS[normalizeProtocol(row.protocol)];
    note(row.token_contract, row.token, [
      'seen_as_reserve',
      ...(protocolFlag === undefined ? [] : [protocolFlag]),
    ]);
    if (row.reward_token_contract === null) continue;
    const flags: Flag[] = [];
    if ((row.lend_reward_apr ?? 0) > 0) flags.push('seen_as_reward_lend');
    if ((row.borrow_reward_apr ?? 0) > 0) flags.push('seen_as_reward_borrow');
    note(row.reward_token_contract, row.reward_token, flags);
  }
  return seen;
}

/** Merges the rows' sightings at `at` into the registry, inside the caller's transaction. */
export async function updateTokenRegistry(
  store: Store,
  db: Kysely<Database>,
  rows: readonly RatesRow[],
  at: number,
): Promise<TableCounts> {
  const stored = new Map<string, unknown[]>();
  for (const values of await readTableRows(store, db, 'token_registry', COLUMNS)) {
    stored.set(normalizeCoinType(String(values[0])), values);
  }

  const merged: CellValue[][] = [];
  for (const [coin, sighting] of sightings(rows)) {
    const before = stored.get(coin);
    merged.push(
      before === undefined ? newRow(coin, sighting, at) : mergedRow(before, sighting, at),
    );
  }
  return applyTable(store, db, rowsTable('token_registry', COLUMNS, merged, 'token_registry'));
}

function newRow(coin: string, sighting: Sighting, at: number): CellValue[] {
  return [
    coin,
    sighting.symbol,
    ...FLAGS.map((flag) => (sighting.flags.has(flag) ? 1 : 0)),
    at,
    at,
  ];
}

/** Keeps the stored spelling of the key and symbol; flags only ever go from 0 to 1. */
function mergedRow(before: unknown[], sighting: Sighting, at: number): CellValue[] {
  const flags = FLAGS.map((flag, i) => {
    const value = before[2 + i];
    if (sighting.flags.has(flag)) return 1;
    return value === null || value === undefined ? null : Number(value);
  });
  const firstSeen = storedTime(before[2 + FLAGS.length]);
  const lastSeen = storedTime(before[3 + FLAGS.length]);
  const symbol =
    before[1] === null || before[1] === undefined ? sighting.symbol : String(before[1]);
  return [
    String(before[0]),
    symbol,
    ...flags,
    firstSeen === null ? at : Math.min(firstSeen, at),
    lastSeen === null ? at : Math.max(lastSeen, at),
  ];
}

/** A stored time another program may have written in any accepted form; unreadable is unknown. */
function storedTime(value: unknown): number | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  try {
    return readStoredTime(value);
  } catch {
    return null;
  }
}
