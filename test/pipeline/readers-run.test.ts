/** Running all readers with a fake fetch: no network, a failing reader never stops the others. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  fetchSuilend,
  NAVI_POOLS_URL,
  readAllProtocols,
  ReaderError,
  SCALLOP_MARKET_URL,
  SUI_RPC_URL,
  type FetchLike,
} from '../../src/pipeline/readers/index.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), 'utf8'));
}

interface Call {
  url: string;
  method: string;
  body: string | null;
}

/** Answers each URL from a table; unknown URLs get 404. Records every call. */
function fakeFetch(answers: Record<string, { status: number; body: unknown }>, calls: Call[]) {
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    calls.push({ url, method: init?.method ?? 'GET', body: (init?.body as string) ?? null });
    const answer = answers[url] ?? { status: 404, body: { message: 'not found' } };
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  };
  return impl as FetchLike;
}

const ALPHAFI_URL = 'http://127.0.0.1:1/alphalend/markets';

describe('readAllProtocols', () => {
  it('returns the rows of the readers that answered and lists the failures', async () => {
    const calls: Call[] = [];
    const fetchImpl = fakeFetch(
      {
        [NAVI_POOLS_URL]: {
          status: 200,
          body: { data: [fixture('navi_open_api_pool_haSUI_2026-01-27.json')] },
        },
        [SUI_RPC_URL]: {
          status: 200,
          body: fixture('suilend_sdk_reserves_SUI_wUSDC_2026-01-21.json'),
        },
        [SCALLOP_MARKET_URL]: { status: 503, body: {} },
      },
      calls,
    );

    const result = await readAllProtocols(1769037460, { fetchImpl });

    expect(result.rows.map((row) => `${row.protocol} ${row.token}`)).toEqual([
      'Navi haSUI',
      'Suilend SUI',
      'Suilend COIN',
    ]);
    expect(result.rows.every((row) => row.timestamp === 1769037460)).toBe(true);
    expect(result.missing.map((entry) => entry.protocol)).toEqual(['scallop', 'alphafi']);
    expect(result.missing[0]!.error.message).toBe(
      `Scallop response: HTTP 503 from ${SCALLOP_MARKET_URL}`,
    );
    expect(result.missing[1]!.error).toBeInstanceOf(ReaderError);
    expect(calls.map((call) => call.url).sort()).toEqual(
      [NAVI_POOLS_URL, SCALLOP_MARKET_URL, SUI_RPC_URL].sort(),
    );
  });

  it('reads AlphaFi from the URL it is given, and only the protocols asked for', async () => {
    const calls: Call[] = [];
    const fetchImpl = fakeFetch(
      { [ALPHAFI_URL]: { status: 200, body: [fixture('alphafi_sdk_market_SUI_2026-01.json')] } },
      calls,
    );

    const result = await readAllProtocols(0, {
      fetchImpl,
      protocols: ['alphafi'],
      alphafiUrl: ALPHAFI_URL,
    });

    expect(result.missing).toEqual([]);
    expect(result.rows.map((row) => row.protocol)).toEqual(['AlphaFi']);
    expect(calls).toHaveLength(1);
  });

  it('reports a body that is not JSON', async () => {
    const fetchImpl = (async () => new Response('<html>', { status: 200 })) as FetchLike;

    const result = await readAllProtocols(0, { fetchImpl, protocols: ['navi'] });

    expect(result.missing[0]!.error.message).toBe(
      `Navi response: the body from ${NAVI_POOLS_URL} is not JSON`,
    );
  });
});

describe('fetchSuilend', () => {
  it('asks the Sui node for the main lending market object with its content', async () => {
    const calls: Call[] = [];
    const fetchImpl = fakeFetch(
      {
        [SUI_RPC_URL]: {
          status: 200,
          body: fixture('suilend_sdk_reserves_SUI_wUSDC_2026-01-21.json'),
        },
      },
      calls,
    );

    await fetchSuilend(0, fetchImpl);

    expect(calls[0]!.method).toBe('POST');
    expect(JSON.parse(calls[0]!.body!)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'sui_getObject',
      params: [
        '0x84030d26d85eaa7035084a057f2f11f701b7e2e4eda87551becbc7c97505ece1',
        { showContent: true },
      ],
    });
  });
});
