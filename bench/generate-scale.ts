/**
 * Writes the synthetic scale case: 200 positions over 365 days of hourly snapshots, shaped like
 * bench-a (same 45 markets, coin types, rate and price ranges). Seeded: the same seed gives the
 * same files. Usage: tsx bench/generate-scale.ts OUT_DIR [--positions 200] [--days 365] [--seed 7]
 */
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { DAY, HOUR, formatTime, parseTime } from '../src/domain/time.js';
import { seededRandom } from '../src/backfill/verify.js';

const PROTOCOLS = ['navi', 'suilend', 'scallop', 'alphafi'] as const;

interface Token {
  symbol: string;
  contract: string;
  price: number;
  stable: boolean;
}

const TOKENS: Token[] = [
  { symbol: 'SUI', contract: '0x2::sui::SUI', price: 3.1, stable: false },
  {
    symbol: 'USDC',
    contract: '0xdba34672e30cb065b1f93e3ab55318768fd6fef66c15942c9f7cb846e2f900e7::usdc::USDC',
    price: 1,
    stable: true,
  },
  {
    symbol: 'suiUSDT',
    contract: '0x375f70cf2ae4c00bf37117d0c85a2c71545e6ee05c4a5c7d282cd66a4504b068::usdt::USDT',
    price: 1,
    stable: true,
  },
  {
    symbol: 'USDY',
    contract: '0x960b531667636f39e85867775f52f6b1f220a058c4de786905bdf761e06a56bb::usdy::USDY',
    price: 1.1,
    stable: true,
  },
  {
    symbol: 'AUSD',
    contract: '0x2053d08c1e2bd02791056171aab0fd12bd7cd7efad2ab8f6b9c8902f14df2ff2::ausd::AUSD',
    price: 1,
    stable: true,
  },
  {
    symbol: 'DEEP',
    contract: '0xdeeb7a4662eec9f2f3def03fb937a663dddaa2e215b8078a284d026b7946c270::deep::DEEP',
    price: 0.13,
    stable: false,
  },
  {
    symbol: 'WAL',
    contract: '0x356a26eb9e012a68958082340d4c4116e7f55615cf27affcff209cf0ae544f59::wal::WAL',
    price: 0.29,
    stable: false,
  },
  {
    symbol: 'BLUE',
    contract: '0xe1b45a0e641b9955a20aa0ad1c1f4ad86aad8afb07296d4085e349a50e90bdca::blue::BLUE',
    price: 0.078,
    stable: false,
  },
  {
    symbol: 'NAVX',
    contract: '0xa99b8952d4f7d947ea77fe0ecdcc9e5fc0bcab2841d6e2a5aa00c3044e5544b5::navx::NAVX',
    price: 0.037,
    stable: false,
  },
  {
    symbol: 'CETUS',
    contract: '0x06864a6f921804860930db6ddbe2e16acdf8504495ea7481637a1c8b9a8fe54b::cetus::CETUS',
    price: 0.07,
    stable: false,
  },
  {
    symbol: 'haSUI',
    contract: '0xbde4ba4c2e274a60ce15c1cfff9e5c42e41654ac8b6d906a57efa4bd3c29f47d::hasui::HASUI',
    price: 3.28,
    stable: false,
  },
  {
    symbol: 'vSUI',
    contract: '0x549e8b69270defbfafd4f94e17ec44cdbdd99820b33bda2278dea3b9a32d3f55::cert::CERT',
    price: 3.25,
    stable: false,
  },
];

export interface Options {
  out: string;
  positions: number;
  days: number;
  seed: number;
  end: number;
}

function parseArgs(argv: string[]): Options {
  const out = argv[0];
  if (!out)
    throw new Error('usage: generate-scale.ts OUT_DIR [--positions N] [--days N] [--seed N]');
  const flag = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    return i === -1 ? fallback : Number(argv[i + 1]);
  };
  return {
    out,
    positions: flag('--positions', 200),
    days: flag('--days', 365),
    seed: flag('--seed', 7),
    end: parseTime('2026-02-05 12:00:00'),
  };
}

const RATES_HEADER =
  'timestamp,protocol,token,token_contract,lend_base_apr,lend_reward_apr,lend_total_apr,borrow_base_apr,borrow_reward_apr,borrow_total_apr,collateral_ratio,liquidation_threshold,price_usd,borrow_fee,borrow_weight';

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

interface MarketState {
  protocol: string;
  token: Token;
  lend: number;
  borrow: number;
  reward: number;
  fee: number;
}

export async function generate(options: Options): Promise<{ rates: number; positions: number }> {
  mkdirSync(options.out, { recursive: true });
  const random = seededRandom(options.seed);
  const start = options.end - options.days * DAY;
  const markets: MarketState[] = [];
  for (const protocol of PROTOCOLS) {
    for (const token of TOKENS) {
      if (random() < 0.1 && !token.stable) continue;
      markets.push({
        protocol,
        token,
        lend: 0.02 + random() * 0.08,
        borrow: 0.05 + random() * 0.1,
        reward: random() < 0.5 ? random() * 0.03 : 0,
        fee: [0, 0.001, 0.002, 0.003][Math.floor(random() * 4)]!,
      });
    }
  }

  const prices = new Map(TOKENS.map((t) => [t.symbol, t.price]));
  const stream = createWriteStream(join(options.out, 'rates_snapshot.csv'));
  stream.write(`${RATES_HEADER}\n`);
  let rows = 0;
  const priceHistory = new Map<number, Map<string, number>>();
  for (let t = start; t <= options.end; t += HOUR) {
    if (random() < 0.01) continue; // a missing snapshot now and then
    for (const token of TOKENS) {
      if (!token.stable)
        prices.set(token.symbol, prices.get(token.symbol)! * Math.exp((random() - 0.5) * 0.01));
    }
    priceHistory.set(t, new Map(prices));
    const lines: string[] = [];
    for (const m of markets) {
      m.lend = Math.max(0.001, m.lend + (random() - 0.5) * 0.002);
      m.borrow = Math.max(m.lend + 0.005, m.borrow + (random() - 0.5) * 0.002);
      if (random() < 0.003) continue; // a market missing from one snapshot
      const lend = round(m.lend, 6);
      const borrow = round(m.borrow, 6);
      const reward = round(m.reward, 6);
      const price = round(prices.get(m.token.symbol)!, 10);
      lines.push(
        [
          formatTime(t),
          m.protocol,
          m.token.symbol,
          m.token.contract,
          lend,
          reward,
          round(lend + reward, 6),
          borrow,
          reward,
          round(borrow - reward, 6),
          0.75,
          0.8,
          price,
          m.fee,
          1,
        ].join(','),
      );
      rows++;
    }
    if (!stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');

  writePositions(options, markets, random, start, priceHistory);
  writeFileSync(
    join(options.out, 'token_registry.csv'),
    `token_contract,symbol\n${TOKENS.map((t) => `${t.contract},${t.symbol}`).join('\n')}\n`,
  );
  return { rates: rows, positions: options.positions };
}

const POSITION_HEADER =
  'position_id,status,token1,token2,token3,token1_contract,token2_contract,token3_contract,protocol_a,protocol_b,entry_timestamp,deployment_usd,l_a,b_a,l_b,b_b,entry_price_1a,entry_price_2a,entry_price_2b,entry_price_3b,entry_borrow_fee_2a,entry_borrow_fee_3b,close_timestamp';

function writePositions(
  options: Options,
  markets: MarketState[],
  random: () => number,
  start: number,
  priceHistory: Map<number, Map<string, number>>,
): void {
  const priceAt = (token: Token, t: number): number => {
    for (let s = t; s >= start; s -= HOUR) {
      const known = priceHistory.get(s)?.get(token.symbol);
      if (known !== undefined) return round(known, 10);
    }
    return token.price;
  };
  const lines = [POSITION_HEADER];
  const stables = TOKENS.filter((t) => t.stable);
  const has = (protocol: string, token: Token): boolean =>
    markets.some((m) => m.protocol === protocol && m.token === token);
  for (let i = 0; i < options.positions; i++) {
    let a: string;
    let b: string;
    let t1: Token;
    let t2: Token;
    let t3: Token;
    do {
      a = PROTOCOLS[Math.floor(random() * 4)]!;
      b = PROTOCOLS[Math.floor(random() * 4)]!;
      t1 = stables[Math.floor(random() * stables.length)]!;
      t2 = TOKENS[Math.floor(random() * TOKENS.length)]!;
      t3 = stables[Math.floor(random() * stables.length)]!;
    } while (a === b || t2 === t1 || !has(a, t1) || !has(a, t2) || !has(b, t2) || !has(b, t3));
    // Entries spread over the year, a few in the first day so some positions span all of it.
    const entry = start + HOUR * Math.floor(random() * (i < 20 ? 24 : (options.days - 2) * 24));
    const closed = random() < 0.3;
    const close = closed
      ? Math.min(options.end, entry + HOUR * Math.floor(24 + random() * 90 * 24))
      : null;
    const lA = round(1.4 + random() * 0.6, 6);
    const bA = round(lA - 0.6 - random() * 0.1, 6);
    const bB = round(lA - 1, 6);
    const id = `scale-${String(i).padStart(4, '0')}-${Math.floor(random() * 1e9).toString(16)}`;
    lines.push(
      [
        id,
        closed ? 'closed' : 'active',
        t1.symbol,
        t2.symbol,
        t3.symbol,
        t1.contract,
        t2.contract,
        t3.contract,
        a,
        b,
        formatTime(entry),
        Math.round(1000 + random() * 200_000),
        lA,
        bA,
        bA,
        bB,
        priceAt(t1, entry),
        priceAt(t2, entry),
        priceAt(t2, entry),
        priceAt(t3, entry),
        0.002,
        0.001,
        close === null ? '' : formatTime(close),
      ].join(','),
    );
  }
  writeFileSync(join(options.out, 'positions.csv'), `${lines.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await generate(parseArgs(process.argv.slice(2)));
  console.log(`wrote ${result.rates} rate rows and ${result.positions} positions`);
}
