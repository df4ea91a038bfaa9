/** What every reader shares: its error, response validation with zod, and the HTTP call. */
import { z } from 'zod';

import { LendstatsError } from '../../domain/errors.js';
import { isDecimalText } from '../../domain/decimal-text.js';
import { PROTOCOLS, type ProtocolId, type RatesRow } from './types.js';

export type FetchLike = typeof globalThis.fetch;

/** The parts of a request the readers set. */
export interface JsonRequest {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

/**
 * A protocol's response could not be read: the HTTP call failed, or the body does not have the
 * shape the reader expects. `path` names the field (`data[3].currentSupplyRate`) when known.
 */
export class ReaderError extends LendstatsError {
  constructor(
    readonly protocol: ProtocolId,
    readonly path: string | null,
    readonly detail: string,
  ) {
    const where = path === null ? '' : ` at ${path}`;
    super('BAD_INPUT', `${PROTOCOLS[protocol]} response${where}: ${detail}`);
    this.name = 'ReaderError';
  }
}

/** A decimal number sent as text, as most protocols do for big or precise values. */
export const decimalText = z
  .string()
  .refine(isDecimalText, { message: 'expected a decimal number as text' });

/** A number sent either as a JSON number or as decimal text. */
export const numberLike = z.union([z.number(), decimalText]);

/** Formats a zod issue path the way a reader of the JSON would write it: `data[0].token.price`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Validates `response` with `schema`, or throws a ReaderError naming the first bad field. */
export function readResponse<T extends z.ZodType>(
  protocol: ProtocolId,
  schema: T,
  response: unknown,
): z.infer<T> {
  const result = schema.safeParse(response);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  if (issue === undefined) throw new ReaderError(protocol, null, 'unexpected response shape');
  throw new ReaderError(protocol, formatPath(issue.path), issue.message);
}

/** GETs (or POSTs, with `init`) `url` and returns the parsed JSON body. */
export async function fetchJson(
  protocol: ProtocolId,
  url: string,
  fetchImpl: FetchLike,
  init: JsonRequest = {},
): Promise<unknown> {
  const response = await fetchImpl(url, {
    ...init,
    headers: { accept: 'application/json', ...init.headers },
  });
  if (!response.ok) {
    throw new ReaderError(protocol, null, `HTTP ${response.status} from ${url}`);
  }

  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ReaderError(protocol, null, `the body from ${url} is not JSON`);
  }
}

/**
 * One row per coin type: the table's key has no market, so when a protocol lists a coin in
 * several markets the one with the largest supply is kept.
 */
export function onePerCoinType(rows: RatesRow[]): RatesRow[] {
  const byCoin = new Map<string, RatesRow>();
  for (const row of rows) {
    const held = byCoin.get(row.token_contract);
    if (held === undefined || (row.total_supply_usd ?? 0) > (held.total_supply_usd ?? 0)) {
      byCoin.set(row.token_contract, row);
    }
  }
  return [...byCoin.values()];
}
