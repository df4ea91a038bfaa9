/**
 * Runs every protocol reader for one snapshot time. A reader that fails is reported in
 * `missing` and never stops the others; the caller decides what a missing protocol means.
 */
import { fetchAlphafi } from './alphafi.js';
import { fetchNavi } from './navi.js';
import type { FetchLike } from './response.js';
import { fetchScallop } from './scallop.js';
import { fetchSuilend } from './suilend.js';
import { PROTOCOLS, type ProtocolId, type RatesRow } from './types.js';

export { parseAlphafi, fetchAlphafi, type AlphafiOptions } from './alphafi.js';
export { parseNavi, fetchNavi, NAVI_POOLS_URL } from './navi.js';
export { parseScallop, fetchScallop, SCALLOP_MARKET_URL } from './scallop.js';
export { parseSuilend, fetchSuilend, SUI_RPC_URL, SUILEND_MAIN_MARKET_ID } from './suilend.js';
export { ReaderError, type FetchLike } from './response.js';
export * from './types.js';

export interface MissingProtocol {
  protocol: ProtocolId;
  error: Error;
}

export interface ReadResult {
  /** Rows of every protocol that answered, all stamped `at`. */
  rows: RatesRow[];
  /** One entry per protocol whose reader failed, in the order of `protocols`. */
  missing: MissingProtocol[];
}

export interface ReadOptions {
  fetchImpl?: FetchLike;
  /** Which protocols to read; all four by default. */
  protocols?: readonly ProtocolId[];
  /** URL serving AlphaLend's `getAllMarkets()` array (see alphafi.ts). */
  alphafiUrl?: string;
}

type Reader = (at: number, fetchImpl: FetchLike, options: ReadOptions) => Promise<RatesRow[]>;

const READERS: Record<ProtocolId, Reader> = {
  navi: (at, fetchImpl) => fetchNavi(at, fetchImpl),
  suilend: (at, fetchImpl) => fetchSuilend(at, fetchImpl),
  scallop: (at, fetchImpl) => fetchScallop(at, fetchImpl),
  alphafi: (at, fetchImpl, options) => fetchAlphafi(at, fetchImpl, { url: options.alphafiUrl }),
};

export const PROTOCOL_IDS = Object.keys(PROTOCOLS) as ProtocolId[];

/** Reads all protocols concurrently at snapshot time `at` (UTC seconds). */
export async function readAllProtocols(at: number, options: ReadOptions = {}): Promise<ReadResult> {
  const fetchImpl = options.fetchImpl ?? globalThis.fetch;
  const protocols = options.protocols ?? PROTOCOL_IDS;

  const settled = await Promise.allSettled(
    protocols.map((protocol) => READERS[protocol](at, fetchImpl, options)),
  );

  const rows: RatesRow[] = [];
  const missing: MissingProtocol[] = [];
  settled.forEach((outcome, index) => {
    const protocol = protocols[index]!;
    if (outcome.status === 'fulfilled') rows.push(...outcome.value);
    else missing.push({ protocol, error: asError(outcome.reason) });
  });
  return { rows, missing };
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
