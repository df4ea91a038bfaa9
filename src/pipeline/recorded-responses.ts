/**
 * `refresh --responses DIR`: protocol responses recorded as files stand in for the network, so a
 * refresh can be replayed (tests, demos, a rerun of an hour from saved answers). Each protocol
 * reads `<protocol>.json` in DIR, holding the body its endpoint returned.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import {
  NAVI_POOLS_URL,
  ReaderError,
  SCALLOP_MARKET_URL,
  SUI_RPC_URL,
  type FetchLike,
  type ProtocolId,
} from './readers/index.js';

/** The AlphaFi URL used when none is given: AlphaLend has no public endpoint to stand for. */
export const RECORDED_ALPHAFI_URL = 'recorded:alphafi';

/** The file each protocol's response is read from. */
export function responseFile(dir: string, protocol: ProtocolId): string {
  return join(resolve(dir), `${protocol}.json`);
}

/** A fetch that answers each protocol's URL with its recorded file; a missing file fails it. */
export function recordedFetch(dir: string, alphafiUrl: string = RECORDED_ALPHAFI_URL): FetchLike {
  const byUrl = new Map<string, ProtocolId>([
    [NAVI_POOLS_URL, 'navi'],
    [SUI_RPC_URL, 'suilend'],
    [SCALLOP_MARKET_URL, 'scallop'],
    [alphafiUrl, 'alphafi'],
  ]);

  const fetchRecorded = async (input: string | URL | Request): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const protocol = byUrl.get(url);
    if (protocol === undefined) throw new Error(`no recorded response for ${url}`);

    const path = responseFile(dir, protocol);
    let body: string;
    try {
      body = await readFile(path, 'utf8');
    } catch {
      throw new ReaderError(protocol, null, `no recorded response ${path}`);
    }
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return fetchRecorded as FetchLike;
}
