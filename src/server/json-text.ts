/**
 * The positions-at-T list written as JSON text directly: the same document as JSON.stringify of
 * positionAtJson (a test holds them equal), without building and walking an object per position.
 * The fixed part of each position is written once and kept while the position object lives.
 */
import { closeOf } from '../domain/plan.js';
import { formatTime } from '../domain/time.js';
import { METRIC_COLUMNS, type Position } from '../domain/types.js';
import { positionJson } from './json.js';
import type { PositionAt } from './positions-at.js';
import type { Figure } from './statistic-at.js';

const fixedParts = new WeakMap<Position, string>();

/** `[{...},{...}]` for the rows, in their order. */
export function positionsText(rows: readonly PositionAt[], at: number): string {
  let text = '[';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) text += ',';
    text += positionText(rows[i]!, at);
  }
  return `${text}]`;
}

function positionText(row: PositionAt, at: number): string {
  const position = row.position;
  const close = closeOf(position);
  const closed = close !== null && close <= at;
  return (
    `${fixedPart(position, at)},"status":"${closed ? position.status : 'active'}",` +
    `"close_timestamp":${closed ? `"${formatTime(close)}"` : 'null'},"group":"${row.group}",` +
    `"statistic":${row.figure === null ? 'null' : figureText(row.figure, at)},` +
    `"error":${row.error === null ? 'null' : JSON.stringify(row.error)}}`
  );
}

/** `{"position_id":…,"entry_apr":…` — everything that does not depend on T. */
function fixedPart(position: Position, at: number): string {
  let fixed = fixedParts.get(position);
  if (fixed === undefined) {
    const { status, close_timestamp, ...rest } = positionJson(position, at);
    void status;
    void close_timestamp;
    fixed = JSON.stringify(rest).slice(0, -1);
    fixedParts.set(position, fixed);
  }
  return fixed;
}

function figureText(figure: Figure, at: number): string {
  let text =
    `{"timestamp":"${formatTime(figure.asOf)}","age_seconds":${at - figure.asOf},` +
    `"computed":${figure.computed},"computed_reason":${quote(figure.reason)},` +
    `"passed_over":${figure.passedOver === null ? 'null' : `"${formatTime(figure.passedOver)}"`},` +
    `"calculation_timestamp":${figure.calculationTimestamp === null ? 'null' : `"${formatTime(figure.calculationTimestamp)}"`},` +
    `"stale_rates":${figure.staleRates},"deployment_usd":${number(figure.deploymentUsd)}`;
  for (const column of METRIC_COLUMNS) text += `,"${column}":${number(figure.values[column])}`;
  return `${text}}`;
}

/** Enum words hold no character JSON escapes. */
function quote(text: string | null): string {
  return text === null ? 'null' : `"${text}"`;
}

/** JSON writes a finite number as String() does, and anything else as null. */
function number(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'null' : String(value);
}
