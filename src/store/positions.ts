/** Positions and their rebalance rows, mapped to domain records. */
import type { LegId, Position, PositionStatus, RebalanceRow } from '../domain/types.js';
import { LEGS } from '../domain/types.js';
import type { Store } from './connection.js';
import { idChunks } from './id-chunks.js';
import { lowerKeys } from './normalize.js';
import {
  ColumnValueError,
  optionalNumber,
  optionalText,
  optionalTime,
  requiredNumber,
  requiredText,
  requiredTime,
} from './row-reader.js';

/** A stored row the engine cannot use; `reason` names the column. */
export interface InvalidPosition {
  positionId: string;
  reason: string;
}

export interface LoadedPositions {
  /** Ordered by entry, then id. */
  positions: Position[];
  invalid: InvalidPosition[];
}

/** Rebalance rows per position, by sequence number; `invalid` lists rows that cannot be read. */
export class RebalanceMap extends Map<string, RebalanceRow[]> {
  readonly invalid: InvalidPosition[] = [];
}

type Row = Record<string, unknown>;

const STATUSES: readonly PositionStatus[] = ['active', 'closed', 'liquidated'];

export async function loadPositions(
  store: Store,
  ids?: readonly string[],
): Promise<LoadedPositions> {
  const rows = await selectByPosition(store, 'positions', ids);

  const positions: Position[] = [];
  const invalid: InvalidPosition[] = [];
  for (const row of rows) {
    const positionId = String(row['position_id']);
    try {
      positions.push(toPosition(row));
    } catch (error) {
      if (!(error instanceof ColumnValueError)) throw error;
      invalid.push({ positionId, reason: error.message });
    }
  }

  positions.sort(
    (a, b) => a.entryTimestamp - b.entryTimestamp || compareText(a.positionId, b.positionId),
  );
  invalid.sort((a, b) => compareText(a.positionId, b.positionId));
  return { positions, invalid };
}

export async function loadRebalances(
  store: Store,
  positionIds?: readonly string[],
): Promise<RebalanceMap> {
  const rows = await selectByPosition(store, 'position_rebalances', positionIds);

  const result = new RebalanceMap();
  for (const row of rows) {
    const positionId = String(row['position_id']);
    let rebalance: RebalanceRow;
    try {
      rebalance = toRebalance(row);
    } catch (error) {
      if (!(error instanceof ColumnValueError)) throw error;
      const reason = `position_rebalances row ${String(row['rebalance_id'])}: ${error.message}`;
      result.invalid.push({ positionId, reason });
      continue;
    }
    const list = result.get(positionId);
    if (list === undefined) result.set(positionId, [rebalance]);
    else list.push(rebalance);
  }

  for (const list of result.values()) list.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  return result;
}

async function selectByPosition(
  store: Store,
  table: 'positions' | 'position_rebalances',
  ids: readonly string[] | undefined,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const chunk of idChunks(ids)) {
    let query = store.db.selectFrom(table).selectAll();
    if (chunk !== undefined) query = query.where('position_id', 'in', chunk);
    for (const row of await query.execute()) rows.push(lowerKeys(row));
  }
  return rows;
}

function toPosition(row: Row): Position {
  const status = requiredText(row, 'status').trim().toLowerCase() as PositionStatus;
  if (!STATUSES.includes(status)) {
    throw new ColumnValueError(
      'status',
      `holds '${String(row['status'])}', not active|closed|liquidated`,
    );
  }

  return {
    positionId: requiredText(row, 'position_id'),
    status,
    token1: optionalText(row, 'token1'),
    token2: optionalText(row, 'token2'),
    token3: optionalText(row, 'token3'),
    token1Contract: requiredText(row, 'token1_contract'),
    token2Contract: requiredText(row, 'token2_contract'),
    token3Contract: requiredText(row, 'token3_contract'),
    protocolA: requiredText(row, 'protocol_a'),
    protocolB: requiredText(row, 'protocol_b'),
    entryTimestamp: requiredTime(row, 'entry_timestamp'),
    deploymentUsd: requiredNumber(row, 'deployment_usd'),
    weights: {
      lA: requiredNumber(row, 'l_a'),
      bA: requiredNumber(row, 'b_a'),
      lB: requiredNumber(row, 'l_b'),
      bB: requiredNumber(row, 'b_b'),
    },
    entryPrices: perLeg((leg) => optionalNumber(row, `entry_price_${leg}`)),
    entryBorrowFee2a: optionalNumber(row, 'entry_borrow_fee_2a'),
    entryBorrowFee3b: optionalNumber(row, 'entry_borrow_fee_3b'),
    entryNetApr: optionalNumber(row, 'entry_net_apr'),
    closeTimestamp: optionalTime(row, 'close_timestamp'),
  };
}

function toRebalance(row: Row): RebalanceRow {
  return {
    rebalanceId: requiredText(row, 'rebalance_id'),
    positionId: requiredText(row, 'position_id'),
    sequenceNumber: requiredNumber(row, 'sequence_number'),
    openingTimestamp: requiredTime(row, 'opening_timestamp'),
    closingTimestamp: optionalTime(row, 'closing_timestamp'),
    deploymentUsd: optionalNumber(row, 'deployment_usd'),
    weights: {
      lA: optionalNumber(row, 'l_a'),
      bA: optionalNumber(row, 'b_a'),
      lB: optionalNumber(row, 'l_b'),
      bB: optionalNumber(row, 'b_b'),
    },
    openingPrices: perLeg((leg) => optionalNumber(row, `opening_price_${leg}`)),
    entryTokenAmounts: perLeg((leg) => optionalNumber(row, `entry_token_amount_${leg}`)),
    realisedFees: optionalNumber(row, 'realised_fees'),
  };
}

function perLeg<T>(read: (leg: LegId) => T): Record<LegId, T> {
  return Object.fromEntries(LEGS.map((leg) => [leg, read(leg)])) as Record<LegId, T>;
}

/** Plain code-point order, the same in every locale and both dialects. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
