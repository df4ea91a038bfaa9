/** zod schemas that turn one CSV field into a stored value, by column kind. Empty means NULL. */
import { z } from 'zod';
import { parseTime, TimeFormatError } from '../domain/time.js';
import type { ColumnKind } from '../store/tables.js';

/** A validated field: UTC seconds for times, numbers, text, or NULL. */
export type CellValue = string | number | null;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const STATUSES = ['active', 'closed', 'liquidated'];

type Check = (text: string) => CellValue | string[];

/** Each check returns the value, or a one-element array holding the complaint. */
const CHECKS: Record<ColumnKind, Check> = {
  real: (text) => {
    const trimmed = text.trim();
    if (!DECIMAL.test(trimmed)) return [`'${text}' is not a number`];
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : [`'${text}' is out of range`];
  },
  integer: (text) => {
    const trimmed = text.trim();
    const value = Number(trimmed);
    return INTEGER.test(trimmed) && Number.isSafeInteger(value)
      ? value
      : [`'${text}' is not a whole number`];
  },
  flag: (text) => {
    const trimmed = text.trim();
    return trimmed === '0' || trimmed === '1' ? Number(trimmed) : [`'${text}' is not 0 or 1`];
  },
  status: (text) =>
    STATUSES.includes(text) ? text : [`'${text}' is not one of ${STATUSES.join(', ')}`],
  time: (text) => {
    try {
      return parseTime(text);
    } catch (error) {
      if (error instanceof TimeFormatError) return [error.message];
      throw error;
    }
  },
  text: (text) => text,
};

function cellSchema(check: Check): z.ZodType<CellValue, string> {
  return z.string().transform((text, ctx): CellValue => {
    if (text === '') return null;
    const result = check(text);
    if (!Array.isArray(result)) return result;
    ctx.addIssue({ code: 'custom', message: result[0] ?? 'invalid value' });
    return z.NEVER;
  });
}

/**
 * Snapshot times repeat once per market and protocols, symbols and coin types once per row, so
 * each distinct text is checked once and its value shared by every row that repeats it.
 */
function remembered(check: Check): Check {
  const seen = new Map<string, CellValue | string[]>();
  return (text) => {
    let result = seen.get(text);
    if (result === undefined) {
      result = check(text);
      seen.set(text, result);
    }
    return result;
  };
}

const REPEATING: readonly ColumnKind[] = ['time', 'text', 'status', 'flag'];

/** A schema for whole records of the given column kinds, in header order. */
export function recordSchema(kinds: readonly ColumnKind[]): z.ZodType<CellValue[], string[]> {
  const cells = kinds.map((kind) =>
    cellSchema(REPEATING.includes(kind) ? remembered(CHECKS[kind]) : CHECKS[kind]),
  );
  return z.tuple(cells as [z.ZodType<CellValue, string>, ...z.ZodType<CellValue, string>[]]);
}
