/**
 * Recorded protocol responses for refresh tests, built from the real fixtures
 * (test/fixtures/real/SOURCES.md) in the shape each endpoint answers, and the rows the readers
 * make of them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  parseAlphafi,
  parseNavi,
  parseScallop,
  parseSuilend,
  type ProtocolId,
  type RatesRow,
} from '../../src/pipeline/readers/index.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), 'utf8'));
}

/** Each endpoint's body: NAVI's two pools (haSUI, SUI), Suilend SUI and wUSDC, Scallop and AlphaFi SUI. */
export const RESPONSES: Record<ProtocolId, unknown> = {
  navi: {
    data: [
      fixture('navi_open_api_pool_haSUI_2026-01-27.json'),
      fixture('getPool_example_SUI_2025-07-25.json'),
    ],
  },
  suilend: fixture('suilend_sdk_reserves_SUI_wUSDC_2026-01-21.json'),
  scallop: { pools: [fixture('scallop_sdk_market_pool_SUI_2026-01-21.json')] },
  alphafi: [fixture('alphafi_sdk_market_SUI_2026-01.json')],
};

/** A folder for `refresh --responses`, without the protocols in `omit`. */
export function responsesDir(omit: readonly ProtocolId[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'lendstats-responses-'));
  for (const [protocol, body] of Object.entries(RESPONSES) as [ProtocolId, unknown][]) {
    if (!omit.includes(protocol))
      writeFileSync(join(dir, `${protocol}.json`), JSON.stringify(body));
  }
  return dir;
}

/** What the readers make of the responses at `at`, in protocol order. */
export function recordedRows(at: number): RatesRow[] {
  return [
    ...parseNavi(RESPONSES.navi, at),
    ...parseSuilend(RESPONSES.suilend, at),
    ...parseScallop(RESPONSES.scallop, at),
    ...parseAlphafi(RESPONSES.alphafi, at),
  ];
}

export const HASUI =
  '0xbde4ba4c2e274a60ce15c1cfff9e5c42e41654ac8b6d906a57efa4bd3c29f47d::hasui::HASUI';
export const SUI = '0x2::sui::SUI';
export const WUSDC =
  '0x5d4b302506645c37ff133b98c4b50a5ae14841659738d6d733d59d0d217a93bf::coin::COIN';
