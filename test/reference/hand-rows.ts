/** Hand-made CSV rows (strings, null = empty cell) for the adversarial reference cases. */
import type { CsvRow } from './csv-tables.js';

export const USDC =
  '0xdba34672e30cb065b1f93e3ab55318768fd6fef66c15942c9f7cb846e2f900e7::usdc::USDC';
export const SUI = '0x2::sui::SUI';

type Cells = Record<string, string | number | null>;

const cells = (values: Cells): CsvRow =>
  Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, value === null ? null : String(value)]),
  );

/** Lends USDC on navi, borrows SUI there, lends SUI on suilend, borrows USDC there. */
export function positionRow(overrides: Cells = {}): CsvRow {
  return cells({
    position_id: 'hand-1',
    status: 'active',
    token1: 'USDC',
    token2: 'SUI',
    token3: 'USDC',
    token1_contract: USDC,
    token2_contract: SUI,
    token3_contract: USDC,
    protocol_a: 'navi',
    protocol_b: 'suilend',
    entry_timestamp: '2026-01-01 00:30:00',
    deployment_usd: 1000,
    l_a: 1.5,
    b_a: 0.9,
    l_b: 0.9,
    b_b: 0.5,
    entry_price_1a: 1,
    entry_price_2a: 3.5,
    entry_price_2b: 3.6,
    entry_price_3b: 1,
    entry_borrow_fee_2a: 0.003,
    entry_borrow_fee_3b: 0.001,
    close_timestamp: null,
    ...overrides,
  });
}

export function rebalanceRow(sequence: number, overrides: Cells = {}): CsvRow {
  return cells({
    rebalance_id: `hand-r${sequence}`,
    position_id: 'hand-1',
    sequence_number: sequence,
    opening_timestamp: '2026-01-01 00:30:00',
    closing_timestamp: null,
    deployment_usd: 1000,
    l_a: 1.5,
    b_a: 0.9,
    l_b: 0.9,
    b_b: 0.5,
    opening_price_1a: 1,
    opening_price_2a: 3.5,
    opening_price_2b: 3.6,
    opening_price_3b: 1,
    entry_token_amount_1a: null,
    entry_token_amount_2a: null,
    entry_token_amount_2b: null,
    entry_token_amount_3b: null,
    realised_fees: null,
    ...overrides,
  });
}

export function rateRow(time: string, protocol: string, contract: string, values: Cells): CsvRow {
  return cells({
    timestamp: time,
    protocol,
    token_contract: contract,
    lend_base_apr: null,
    lend_reward_apr: null,
    lend_total_apr: null,
    borrow_base_apr: null,
    borrow_reward_apr: null,
    borrow_total_apr: null,
    price_usd: null,
    borrow_fee: null,
    ...values,
  });
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-01-01 00:00:00` plus `hours` (whole hours only). */
export function hourText(hours: number): string {
  const day = 1 + Math.floor(hours / 24);
  return `2026-01-${pad(day)} ${pad(hours % 24)}:00:00`;
}

/**
 * Hourly rows of the four markets from 00:00 on 2026-01-01 for `hours` hours, every value moving
 * deterministically so that any misplaced interval shows in the sums.
 */
export function hourlyRates(hours: number): CsvRow[] {
  const rows: CsvRow[] = [];
  for (let h = 0; h < hours; h++) {
    const w = Math.sin(h / 3);
    const time = hourText(h);
    const market = (protocol: string, contract: string, k: number, price: number): CsvRow =>
      rateRow(time, protocol, contract, {
        lend_base_apr: round(0.04 + 0.01 * k + 0.005 * w),
        lend_reward_apr: round(0.01 * k + 0.002 * Math.cos(h)),
        lend_total_apr: null,
        borrow_base_apr: round(0.07 + 0.01 * k - 0.004 * w),
        borrow_reward_apr: round(0.005 * k),
        borrow_total_apr: null,
        price_usd: round(price),
        borrow_fee: protocol === 'navi' ? 0.003 : 0.001,
      });
    rows.push(
      market('navi', USDC, 1, 1 + 0.0001 * w),
      market('navi', SUI, 2, 3.5 + 0.2 * w),
      market('suilend', SUI, 3, 3.6 + 0.25 * Math.cos(h / 5)),
      market('suilend', USDC, 0, 1 - 0.0002 * w),
    );
  }
  return rows;
}

const round = (x: number): number => Math.round(x * 1e9) / 1e9;
