/** Hand-made snapshots at 00:00-03:00 of 2026-03-01 for four markets, and a position on them. */
import { parseTime } from '../../src/domain/time.js';
import type { OpenRequest } from '../../src/pipeline/positions.js';
import { SUI, USDC } from '../helpers/builders.js';
import { rateRow } from './rates-rows.js';

export const t = (clock: string): number => parseTime(`2026-03-01 ${clock}`);
export const NOW = t('12:00:00');

/** 1A Navi USDC lend, 2A Navi SUI borrow, 2B Suilend SUI lend, 3B Suilend USDC borrow. */
export const RATES = [
  rateRow(t('00:00:00'), 'Navi', USDC, {
    token: 'nUSDC',
    lend_base_apr: 0.05,
    lend_reward_apr: 0.01,
    price_usd: 1,
    collateral_ratio: 0.85,
    liquidation_threshold: 0.9,
  }),
  rateRow(t('00:00:00'), 'Navi', SUI, {
    token: 'SUI',
    borrow_base_apr: 0.08,
    borrow_reward_apr: 0.02,
    price_usd: 2,
    borrow_fee: 0.003,
    borrow_weight: 1,
  }),
  rateRow(t('00:00:00'), 'Suilend', SUI, {
    token: 'SUI',
    lend_base_apr: 0.1,
    lend_reward_apr: 0,
    price_usd: 2.02,
    collateral_ratio: 0.7,
    liquidation_threshold: 0.8,
  }),
  rateRow(t('00:00:00'), 'Suilend', USDC, {
    token: 'USDC',
    borrow_base_apr: 0.04,
    borrow_reward_apr: 0,
    price_usd: 1,
    borrow_fee: 0.001,
    borrow_weight: 1.5,
  }),
  // Later rows carry only rates and prices: fees, weights and ratios keep their known values.
  ...[
    ['01:00:00', 0.06, 0.01, 1.0, 0.09, 0.02, 2.5, 0.12, 2.48, 0.05, 0.999],
    ['02:00:00', 0.04, 0.01, 1.001, 0.07, 0.01, 2.4, 0.11, 2.41, 0.045, 1.0],
    ['03:00:00', 0.04, 0.01, 1.001, 0.07, 0.01, 2.4, 0.11, 2.41, 0.045, 1.0],
  ].flatMap(([clock, lb1, lr1, p1, bb2, br2, p2, lb2b, p2b, bb3, p3]) => [
    rateRow(t(clock as string), 'Navi', USDC, {
      lend_base_apr: lb1 as number,
      lend_reward_apr: lr1 as number,
      price_usd: p1 as number,
    }),
    rateRow(t(clock as string), 'Navi', SUI, {
      borrow_base_apr: bb2 as number,
      borrow_reward_apr: br2 as number,
      price_usd: p2 as number,
    }),
    rateRow(t(clock as string), 'Suilend', SUI, {
      lend_base_apr: lb2b as number,
      lend_reward_apr: 0,
      price_usd: p2b as number,
    }),
    rateRow(t(clock as string), 'Suilend', USDC, {
      borrow_base_apr: bb3 as number,
      borrow_reward_apr: 0,
      price_usd: p3 as number,
    }),
  ]),
];

export const OPEN: OpenRequest = {
  positionId: 'p1',
  at: t('00:30:00'),
  protocolA: 'Navi',
  protocolB: 'Suilend',
  token1Contract: USDC,
  token2Contract: SUI,
  token3Contract: USDC,
  deploymentUsd: 1000,
  sizing: { weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 } },
};
