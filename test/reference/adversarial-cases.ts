/** Hand-made inputs aimed at SPEC-statistics.md's edge rules; each is checked at many T. */
import type { CsvRow } from './csv-tables.js';
import { hourlyRates, positionRow, rateRow, rebalanceRow, SUI, USDC } from './hand-rows.js';
import { formatUtc, utcSeconds } from './reference-engine.js';

export interface Scenario {
  name: string;
  positions: CsvRow[];
  rebalances: CsvRow[];
  rates: CsvRow[];
  /** Moments that matter; the test adds a grid around them. */
  moments: string[];
  maxRateAgeSeconds?: number;
}

const rates = hourlyRates(72);
const ENTRY = '2026-01-01 00:30:00';
const LAST = '2026-01-03 23:00:00';

/** A rebalance at 10:20 on the first day (a closed row) and the positions row's new segment. */
const rebalancedAt1020 = {
  position: positionRow({
    deployment_usd: 1500,
    l_a: 1.6,
    b_a: 1.0,
    l_b: 1.0,
    b_b: 0.6,
    entry_price_1a: 1.0001,
    entry_price_2a: 3.55,
    entry_price_2b: 3.7,
    entry_price_3b: 0.9999,
  }),
  row: rebalanceRow(1, { closing_timestamp: '2026-01-01 10:20:00', realised_fees: 3.7 }),
};

/** NULL patterns of one market (navi SUI) replacing its hourly rows on the first day. */
function withNullPatterns(): CsvRow[] {
  const others = rates.filter(
    (r) =>
      !(r['protocol'] === 'navi' && r['token_contract'] === SUI && r['timestamp']! < '2026-01-02'),
  );
  const sui = (time: string, values: Record<string, number | null>): CsvRow =>
    rateRow(time, 'navi', SUI, values);
  return [
    ...others,
    // base derived from the row's total and reward (borrow base = total + reward)
    sui('2026-01-01 00:00:00', {
      lend_total_apr: 0.06,
      lend_reward_apr: 0.01,
      borrow_total_apr: 0.07,
      borrow_reward_apr: 0.02,
      price_usd: 3.5,
    }),
    // bases NULL, totals known, rewards NULL: nothing derivable, bases and rewards carry
    sui('2026-01-01 03:00:00', { lend_total_apr: 0.5, borrow_total_apr: 0.9, price_usd: 3.4 }),
    // rewards NULL, bases and totals known: only bases change, rewards carry (no derivation)
    sui('2026-01-01 05:00:00', {
      lend_base_apr: 0.04,
      lend_total_apr: 0.3,
      borrow_base_apr: 0.1,
      borrow_total_apr: 0.02,
    }),
    // a wholly empty row: a row all the same (keeps every value)
    sui('2026-01-01 08:00:00', {}),
    // inconsistent totals: the stored base wins
    sui('2026-01-01 11:00:00', {
      lend_base_apr: 0.05,
      lend_reward_apr: 0.003,
      lend_total_apr: 0.9,
      borrow_base_apr: 0.12,
      borrow_reward_apr: 0.01,
      borrow_total_apr: 0.5,
      price_usd: 3.3,
      borrow_fee: 0.004,
    }),
    // borrow_fee and price NULL: both carried
    sui('2026-01-01 14:00:00', { lend_base_apr: 0.045, borrow_base_apr: 0.11 }),
  ];
}

/** suilend SUI's rewards NULL on every row: a reward never known is 0. */
function rewardsNeverKnown(): CsvRow[] {
  return rates.map((r) =>
    r['protocol'] === 'suilend' && r['token_contract'] === SUI
      ? { ...r, lend_reward_apr: null, borrow_reward_apr: null }
      : r,
  );
}

/** A coin type spelled with leading zeros and upper-case hex, protocol in upper case. */
const PADDED_SUI = '0x0000000000000000000000000000000000000000000000000000000000000002::sui::SUI';
const UPPER_USDC = USDC.replace(
  '0xdba34672e30cb065b1f93e3ab55318768fd6fef66c15942c9f7cb846e2f900e7',
  '0xDBA34672E30CB065B1F93E3AB55318768FD6FEF66C15942C9F7CB846E2F900E7',
);

/** A year of hourly rows at BTC-like prices and a 280 % APR, a 50 M USD position entered late. */
function whaleRates(): CsvRow[] {
  const rows: CsvRow[] = [];
  const start = utcSeconds('2025-01-01 00:00:00');
  for (let h = 0; h < 366 * 24; h++) {
    const time = formatUtc(start + h * 3600);
    const w = Math.sin(h / 7);
    const values = (k: number): Record<string, number> => ({
      lend_base_apr: 1.5 + 0.3 * w + 0.01 * k,
      lend_reward_apr: 0.4 + 0.01 * k,
      borrow_base_apr: 2.8 - 0.2 * w,
      borrow_reward_apr: 0.3,
      price_usd: 97000 + 3000 * Math.cos(h / 11) + k,
      borrow_fee: 0.001,
    });
    rows.push(
      rateRow(time, 'navi', USDC, values(1)),
      rateRow(time, 'navi', SUI, values(2)),
      rateRow(time, 'suilend', SUI, values(3)),
      rateRow(time, 'suilend', USDC, values(4)),
    );
  }
  return rows;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'plain active position, no rebalances',
    positions: [positionRow()],
    rebalances: [],
    rates,
    moments: [
      ENTRY,
      '2026-01-01 07:00:00',
      LAST,
      '2026-01-04 22:59:59',
      '2026-01-04 23:00:00',
      '2026-01-04 23:00:01',
    ],
  },
  {
    name: 'T at a rebalance closing, then the positions-row segment',
    positions: [rebalancedAt1020.position],
    rebalances: [rebalancedAt1020.row],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-01 11:00:00', LAST],
  },
  {
    name: 'three rows (out of order in the file), the middle one with NULL realised_fees',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalanceRow(3, {
        opening_timestamp: '2026-01-01 18:00:00',
        closing_timestamp: '2026-01-02 02:00:00',
        deployment_usd: 1200,
        b_a: 1.1,
        opening_price_2a: 3.3,
        opening_price_2b: 3.35,
        realised_fees: 0.5,
      }),
      rebalancedAt1020.row,
      rebalanceRow(2, {
        opening_timestamp: '2026-01-01 10:20:00',
        closing_timestamp: '2026-01-01 18:00:00',
        deployment_usd: 800,
        l_a: 1.2,
        b_b: 0.4,
        realised_fees: null,
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-01 18:00:00', '2026-01-02 02:00:00', LAST],
  },
  {
    name: 'closed position with its own close row: T at the close',
    positions: [
      positionRow({
        status: 'closed',
        close_timestamp: '2026-01-02 05:45:00',
        deployment_usd: 1500,
      }),
    ],
    rebalances: [
      rebalancedAt1020.row,
      rebalanceRow(2, {
        opening_timestamp: '2026-01-01 10:20:00',
        closing_timestamp: '2026-01-02 05:45:00',
        deployment_usd: 1500,
        realised_fees: 0.25,
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-02 05:45:00', '2026-01-02 05:45:01'],
  },
  {
    name: 'closed position whose close has no row of its own (tail ends at close)',
    positions: [
      positionRow({
        status: 'closed',
        close_timestamp: '2026-01-02 05:45:00',
        deployment_usd: 1500,
      }),
    ],
    rebalances: [rebalancedAt1020.row],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-02 05:45:00', '2026-01-02 05:45:01'],
  },
  {
    name: 'liquidated position without any rebalance row: entry fees count at the close',
    positions: [positionRow({ status: 'liquidated', close_timestamp: '2026-01-02 05:45:00' })],
    rebalances: [],
    rates,
    moments: [ENTRY, '2026-01-02 05:45:00', '2026-01-02 05:45:01'],
  },
  {
    name: 'closed at its entry, no rows: a zero-length segment with its entry fees',
    positions: [positionRow({ status: 'closed', close_timestamp: ENTRY })],
    rebalances: [],
    rates,
    moments: [ENTRY],
  },
  {
    name: 'rebalance row with stored entry_token_amount_2b (and 1a), 2a computed',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalanceRow(1, {
        closing_timestamp: '2026-01-01 10:20:00',
        realised_fees: 3.7,
        entry_token_amount_1a: 1400,
        entry_token_amount_2b: 300,
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 05:00:00', '2026-01-01 10:20:00', LAST],
  },
  {
    name: 'rebalance row with stored entry_token_amount_2a only: 2B holds the same amount',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalanceRow(1, {
        closing_timestamp: '2026-01-01 10:20:00',
        realised_fees: 3.7,
        entry_token_amount_2a: 250,
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 05:00:00', '2026-01-01 10:20:00', LAST],
  },
  {
    name: 'NULL bases derived from totals within the row; NULLs carried',
    positions: [positionRow()],
    rebalances: [],
    rates: withNullPatterns(),
    moments: [
      ENTRY,
      '2026-01-01 03:00:00',
      '2026-01-01 05:00:00',
      '2026-01-01 11:00:00',
      '2026-01-01 14:00:00',
    ],
  },
  {
    name: 'rewards never known are 0',
    positions: [positionRow()],
    rebalances: [],
    rates: rewardsNeverKnown(),
    moments: [ENTRY, LAST],
  },
  {
    name: 'price never known: no rate data, spelled as in the positions row',
    positions: [positionRow({ protocol_b: 'SuiLend', token2_contract: PADDED_SUI })],
    rebalances: [],
    rates: rates.map((r) =>
      r['protocol'] === 'suilend' && r['token_contract'] === SUI ? { ...r, price_usd: null } : r,
    ),
    moments: [ENTRY, LAST],
  },
  {
    name: 'base known only after entry: no rate data at entry, every T',
    positions: [positionRow({ protocol_a: 'NAVI' })],
    rebalances: [],
    rates: rates.map((r) =>
      r['protocol'] === 'navi' && r['token_contract'] === USDC && r['timestamp']! < '2026-01-01 05'
        ? { ...r, lend_base_apr: null, lend_total_apr: null }
        : r,
    ),
    moments: [ENTRY, '2026-01-01 05:00:00', LAST],
  },
  {
    name: 'market whose first row comes after the second segment starts',
    positions: [rebalancedAt1020.position],
    rebalances: [rebalancedAt1020.row],
    rates: rates.filter(
      (r) =>
        !(
          r['protocol'] === 'suilend' &&
          r['token_contract'] === USDC &&
          r['timestamp']! < '2026-01-01 12'
        ),
    ),
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-01 12:00:00', LAST],
  },
  {
    name: 'staleness at exactly 24 h (inclusive): every market stops at 06:00',
    positions: [positionRow()],
    rebalances: [],
    rates: rates.filter((r) => r['timestamp']! <= '2026-01-01 06:00:00'),
    moments: [ENTRY, '2026-01-02 06:00:00', '2026-01-02 06:00:01'],
  },
  {
    name: 'staleness of one leg; a NULL-only row is still a row of its market',
    positions: [positionRow()],
    rebalances: [],
    rates: [
      ...rates.filter(
        (r) =>
          !(r['protocol'] === 'suilend' && r['token_contract'] === USDC) ||
          r['timestamp']! <= '2026-01-01 06:00:00',
      ),
      rateRow('2026-01-01 20:00:00', 'suilend', USDC, {}),
    ],
    moments: [ENTRY, '2026-01-02 06:00:01', '2026-01-02 20:00:00', '2026-01-02 20:00:01'],
  },
  {
    name: 'staleness limit of one hour',
    positions: [positionRow()],
    rebalances: [],
    rates: rates.filter((r) => !(r['protocol'] === 'navi' && r['timestamp']!.endsWith('05:00:00'))),
    moments: [ENTRY, '2026-01-01 05:00:00', '2026-01-01 05:59:59', '2026-01-01 06:00:00'],
    maxRateAgeSeconds: 3600,
  },
  {
    name: 'non-contiguous rows (a gap): invalid at every T',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalancedAt1020.row,
      rebalanceRow(2, {
        opening_timestamp: '2026-01-01 11:00:00',
        closing_timestamp: '2026-01-02 11:00:00',
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-02 11:00:00', LAST],
  },
  {
    name: 'overlapping rows: invalid at every T',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalancedAt1020.row,
      rebalanceRow(2, {
        opening_timestamp: '2026-01-01 10:00:00',
        closing_timestamp: '2026-01-02 11:00:00',
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', '2026-01-02 11:00:00', LAST],
  },
  {
    name: 'first row does not open at entry: invalid at every T',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalanceRow(1, {
        opening_timestamp: '2026-01-01 01:00:00',
        closing_timestamp: '2026-01-01 10:20:00',
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', LAST],
  },
  {
    name: 'a row without closing_timestamp is ignored',
    positions: [rebalancedAt1020.position],
    rebalances: [
      rebalancedAt1020.row,
      rebalanceRow(2, { opening_timestamp: '2026-01-01 10:20:00' }),
    ],
    rates,
    moments: [ENTRY, '2026-01-01 10:20:00', LAST],
  },
  {
    name: 'coin types with leading zeros and upper-case hex in rates_snapshot, protocols in other case',
    positions: [positionRow()],
    rebalances: [],
    rates: rates.map((r) => ({
      ...r,
      protocol: r['protocol']!.toUpperCase(),
      token_contract: r['token_contract'] === SUI ? PADDED_SUI : UPPER_USDC,
    })),
    moments: [ENTRY, LAST],
  },
  {
    name: 'entry at an odd second between snapshots, entry fees NULL',
    positions: [
      positionRow({
        entry_timestamp: '2026-01-01 07:13:29',
        entry_borrow_fee_2a: null,
        entry_borrow_fee_3b: 0.002,
      }),
    ],
    rebalances: [],
    rates,
    moments: ['2026-01-01 07:13:29', '2026-01-01 07:13:30', '2026-01-01 08:00:00'],
  },
  {
    name: 'coin types with leading zeros in the positions row, plain in rates_snapshot',
    positions: [positionRow({ token2_contract: PADDED_SUI, token1_contract: UPPER_USDC })],
    rebalances: [],
    rates,
    moments: [ENTRY, LAST],
  },
  {
    name: 'rates_snapshot rows in reverse order',
    positions: [rebalancedAt1020.position],
    rebalances: [rebalancedAt1020.row],
    rates: [...rates].reverse(),
    moments: [ENTRY, '2026-01-01 10:20:00', LAST],
  },
  {
    name: 'closed at a close row while the positions row holds another deployment',
    positions: [
      positionRow({
        status: 'closed',
        close_timestamp: '2026-01-02 05:45:00',
        deployment_usd: 1700,
      }),
    ],
    rebalances: [
      rebalanceRow(1, {
        closing_timestamp: '2026-01-02 05:45:00',
        deployment_usd: 1200,
        realised_fees: 2,
      }),
    ],
    rates,
    moments: [ENTRY, '2026-01-02 05:45:00'],
  },
  {
    name: 'precision: 50 M USD entered after a year of hourly steps at 280 % APR',
    positions: [
      positionRow({
        entry_timestamp: '2025-12-30 10:00:00',
        deployment_usd: 50_000_000,
        entry_price_1a: 97001,
        entry_price_2a: 97002,
        entry_price_2b: 97003,
        entry_price_3b: 97004,
      }),
    ],
    rebalances: [],
    rates: whaleRates(),
    moments: [
      '2025-12-30 10:00:00',
      '2025-12-30 10:00:01',
      '2025-12-30 10:59:59',
      '2025-12-30 12:00:00',
    ],
  },
];

/** The moments of a scenario plus ±1 s around each and a 37-minute grid over its span. */
export function scenarioTimes(scenario: Scenario): number[] {
  const moments = scenario.moments.map(utcSeconds);
  const times = new Set<number>();
  for (const m of moments) [m - 1, m, m + 1].forEach((x) => times.add(x));
  const from = Math.min(...moments) - 3600;
  const to = Math.max(...moments) + 3600;
  for (let x = from; x <= to; x += 37 * 60) times.add(x);
  return [...times].sort((a, b) => a - b);
}
