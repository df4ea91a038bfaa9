import { describe, expect, it } from 'vitest';
import { StatisticError } from '../../src/domain/errors.js';
import { PositionCalculator } from '../../src/domain/statistic.js';
import type { RateRow } from '../../src/domain/types.js';
import { expectAgrees } from '../helpers/approx.js';
import { position, rate, rebalance, seriesLookup, SUI, t, USDC } from '../helpers/builders.js';

/** The four markets of SPEC-statistics.md's worked example, at 00:00 and 01:00 (and 04:00). */
function workedExampleRates(withLaterRows: boolean): RateRow[] {
  const rows = [
    rate('2026-01-01 00:00:00', 'navi', USDC, {
      lendBaseApr: 0.05,
      lendRewardApr: 0.01,
      priceUsd: 1,
      borrowBaseApr: 0.07,
      borrowRewardApr: 0,
      borrowFee: 0.003,
    }),
    rate('2026-01-01 00:00:00', 'navi', SUI, {
      lendBaseApr: 0.03,
      lendRewardApr: 0,
      borrowBaseApr: 0.08,
      borrowRewardApr: 0.02,
      priceUsd: 1,
      borrowFee: 0.003,
    }),
    rate('2026-01-01 00:00:00', 'suilend', SUI, {
      lendBaseApr: 0.1,
      lendRewardApr: 0,
      borrowBaseApr: 0.14,
      borrowRewardApr: 0,
      priceUsd: 1,
      borrowFee: 0.001,
    }),
    rate('2026-01-01 00:00:00', 'suilend', USDC, {
      lendBaseApr: 0.02,
      lendRewardApr: 0,
      borrowBaseApr: 0.04,
      borrowRewardApr: 0,
      priceUsd: 1,
      borrowFee: 0.001,
    }),
    rate('2026-01-01 01:00:00', 'navi', USDC, {
      lendBaseApr: 0.06,
      lendRewardApr: 0.01,
      priceUsd: 1,
      borrowBaseApr: 0.07,
      borrowRewardApr: 0,
      borrowFee: 0.003,
    }),
    rate('2026-01-01 01:00:00', 'navi', SUI, {
      lendBaseApr: 0.03,
      lendRewardApr: 0,
      borrowBaseApr: 0.08,
      borrowRewardApr: 0.02,
      priceUsd: 1,
      borrowFee: 0.003,
    }),
    rate('2026-01-01 01:00:00', 'suilend', SUI, {
      lendBaseApr: 0.12,
      lendRewardApr: 0,
      borrowBaseApr: 0.14,
      borrowRewardApr: 0,
      priceUsd: 1,
      borrowFee: 0.001,
    }),
    rate('2026-01-01 01:00:00', 'suilend', USDC, {
      lendBaseApr: 0.02,
      lendRewardApr: 0,
      borrowBaseApr: 0.04,
      borrowRewardApr: 0,
      priceUsd: 1,
      borrowFee: 0.001,
    }),
  ];
  if (!withLaterRows) return rows;
  return [
    ...rows,
    rate('2026-01-01 04:00:00', 'navi', USDC, {
      lendBaseApr: 0.9,
      lendRewardApr: 0.5,
      priceUsd: 3,
      borrowBaseApr: 0.95,
    }),
    rate('2026-01-01 04:00:00', 'suilend', SUI, { lendBaseApr: 0.9, priceUsd: 7 }),
  ];
}

describe('worked example of SPEC-statistics.md', () => {
  for (const withLaterRows of [false, true]) {
    it(`matches the closed form at 03:00 (rows after T present: ${withLaterRows})`, () => {
      const calc = new PositionCalculator(
        position(),
        [],
        seriesLookup(workedExampleRates(withLaterRows)),
      );
      const { statistic: s, stale } = calc.at(t('2026-01-01 03:00:00'));
      expectAgrees(s.baseEarnings, 285 / 8760, 'base');
      expectAgrees(s.rewardEarnings, 99 / 8760, 'reward');
      expectAgrees(s.totalEarnings, 384 / 8760, 'total earnings');
      expectAgrees(s.totalFees, 3.2, 'fees');
      expectAgrees(s.totalPnl, 384 / 8760 - 3.2, 'total pnl');
      expectAgrees(s.livePnl, 384 / 8760 - 3.2, 'live pnl');
      expect(s.realizedPnl).toBe(0);
      expectAgrees(s.currentValue, 1000 + 384 / 8760 - 3.2, 'value');
      expectAgrees(s.realizedApr, (((384 / 8760 - 3.2) / 1000) * 8760) / 3, 'realized apr');
      expectAgrees(s.currentApr, 0.105 + 0.108 - 0.054 - 0.02 - 0.0032, 'current apr');
      expect(stale).toBe(false);
    });
  }

  it('has fees only and a NULL realized APR at entry', () => {
    const calc = new PositionCalculator(position(), [], seriesLookup(workedExampleRates(true)));
    const { statistic: s } = calc.at(t('2026-01-01 00:00:00'));
    expect(s.baseEarnings).toBe(0);
    expect(s.rewardEarnings).toBe(0);
    expectAgrees(s.totalPnl, -3.2);
    expect(s.realizedApr).toBeNull();
    expectAgrees(s.currentApr, 1.5 * 0.06 + 0.9 * 0.1 - 0.9 * 0.06 - 0.5 * 0.04 - 0.0032);
  });
});

/** Constant rates on every market; prices differ per token but never move. */
function constantRates(from: string, prices: { usdc: number; sui: number }): RateRow[] {
  const common = { lendRewardApr: 0.01, borrowRewardApr: 0.005, borrowFee: 0.002 };
  return [
    rate(from, 'navi', USDC, {
      ...common,
      lendBaseApr: 0.05,
      borrowBaseApr: 0.09,
      priceUsd: prices.usdc,
    }),
    rate(from, 'navi', SUI, {
      ...common,
      lendBaseApr: 0.02,
      borrowBaseApr: 0.07,
      priceUsd: prices.sui,
    }),
    rate(from, 'suilend', SUI, {
      ...common,
      lendBaseApr: 0.11,
      borrowBaseApr: 0.15,
      priceUsd: prices.sui,
    }),
    rate(from, 'suilend', USDC, {
      ...common,
      lendBaseApr: 0.03,
      borrowBaseApr: 0.04,
      priceUsd: prices.usdc,
    }),
  ];
}

describe('closed forms', () => {
  const D = 1000;
  const w = { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 };
  const baseRate = w.lA * 0.05 + w.lB * 0.11 - w.bA * 0.07 - w.bB * 0.04;
  const rewardRate = (w.lA + w.lB) * 0.01 + (w.bA + w.bB) * 0.005;
  const fees = D * (w.bA * 0.003 + w.bB * 0.001);

  it('constant rates over ten days earn rate * days / 365', () => {
    const prices = { usdc: 1, sui: 3.5 };
    const p = position({ entryPrices: { '1a': 1, '2a': 3.5, '2b': 3.5, '3b': 1 } });
    const rows = [
      ...constantRates('2025-12-31 00:00:00', prices),
      ...constantRates('2026-01-10 00:00:00', prices),
    ];
    const calc = new PositionCalculator(p, [], seriesLookup(rows));
    const { statistic: s } = calc.at(t('2026-01-11 00:00:00'));
    expectAgrees(s.baseEarnings, (D * baseRate * 10) / 365);
    expectAgrees(s.rewardEarnings, (D * rewardRate * 10) / 365);
    expectAgrees(
      s.realizedApr,
      ((((D * (baseRate + rewardRate) * 10) / 365 - fees) / D) * 365) / 10,
    );
    expectAgrees(s.currentApr, baseRate + rewardRate - (w.bA + w.bB) * 0.002);
  });

  it('a price change mid-segment revalues the legs of that token from then on', () => {
    // SUI doubles at 12:00; amounts stay those bought at the entry price of 3.5.
    const rows = [
      ...constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 3.5 }),
      ...constantRates('2026-01-01 12:00:00', { usdc: 1, sui: 7 }),
    ];
    const p = position({ entryPrices: { '1a': 1, '2a': 3.5, '2b': 3.5, '3b': 1 } });
    const { statistic: s } = new PositionCalculator(p, [], seriesLookup(rows)).at(
      t('2026-01-02 00:00:00'),
    );
    const usdcLegs = w.lA * 0.05 - w.bB * 0.04;
    const suiLegs = w.lB * 0.11 - w.bA * 0.07;
    const expected = (D * (usdcLegs * 24 + suiLegs * 12 + suiLegs * 2 * 12)) / 8760;
    expectAgrees(s.baseEarnings, expected);
  });

  it('a market missing from some snapshots keeps its last values', () => {
    const rows = [
      ...constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 1 }),
      // 06:00: suilend SUI is missing; the others repeat. 12:00: it returns at 0.2.
      ...constantRates('2026-01-01 06:00:00', { usdc: 1, sui: 1 }).filter(
        (r) => !(r.protocol === 'suilend' && r.tokenContract === SUI),
      ),
      rate('2026-01-01 12:00:00', 'suilend', SUI, {
        lendBaseApr: 0.2,
        borrowBaseApr: 0.15,
        priceUsd: 1,
      }),
    ];
    const { statistic: s } = new PositionCalculator(position(), [], seriesLookup(rows)).at(
      t('2026-01-01 18:00:00'),
    );
    const before = w.lA * 0.05 + w.lB * 0.11 - w.bA * 0.07 - w.bB * 0.04;
    const after = w.lA * 0.05 + w.lB * 0.2 - w.bA * 0.07 - w.bB * 0.04;
    expectAgrees(s.baseEarnings, (D * (before * 12 + after * 6)) / 8760);
    // The reward of suilend SUI is carried from 00:00 (0.01 lend) since 12:00 left it NULL.
    expectAgrees(s.rewardEarnings, (D * rewardRate * 18) / 8760);
  });

  it('stale rates leave current_apr NULL but keep the statistic', () => {
    const rows = constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 1 });
    const calc = new PositionCalculator(position(), [], seriesLookup(rows), 24 * 3600);
    expect(calc.at(t('2026-01-02 00:00:00')).stale).toBe(false);
    const late = calc.at(t('2026-01-02 00:00:01'));
    expect(late.stale).toBe(true);
    expect(late.statistic.currentApr).toBeNull();
    expectAgrees(late.statistic.baseEarnings, (D * baseRate * (86401 / 3600)) / 8760);
  });

  it('derives a NULL base from the total and the reward of the same row', () => {
    const rows = constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 1 }).map((r) =>
      r.protocol === 'navi' && r.tokenContract === USDC
        ? {
            ...r,
            lendBaseApr: null,
            lendTotalApr: 0.06,
            borrowBaseApr: null,
            borrowTotalApr: 0.085,
          }
        : r,
    );
    const { statistic: s } = new PositionCalculator(position(), [], seriesLookup(rows)).at(
      t('2026-01-01 10:00:00'),
    );
    expectAgrees(s.baseEarnings, (D * baseRate * 10) / 8760);
  });

  it('fails with no rate data naming the market and the segment start', () => {
    const rows = constantRates('2026-01-01 06:00:00', { usdc: 1, sui: 1 });
    const calc = new PositionCalculator(position(), [], seriesLookup(rows));
    expect(() => calc.at(t('2026-01-01 10:00:00'))).toThrow(
      `no rate data for navi ${USDC} at or before 2026-01-01 00:00:00`,
    );
  });

  it('fails when the base rate has never been known by the segment start', () => {
    const rows = constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 1 }).map((r) =>
      r.protocol === 'suilend' && r.tokenContract === USDC ? { ...r, borrowBaseApr: null } : r,
    );
    const calc = new PositionCalculator(position(), [], seriesLookup(rows));
    expect(() => calc.at(t('2026-01-01 10:00:00'))).toThrow(
      /no rate data for suilend .*usdc::USDC/,
    );
  });
});

describe('segments and closes', () => {
  const rows = [
    ...constantRates('2026-01-01 00:00:00', { usdc: 1, sui: 2 }),
    ...constantRates('2026-01-03 00:00:00', { usdc: 1, sui: 4 }),
  ];
  const entry = position({ entryPrices: { '1a': 1, '2a': 2, '2b': 2, '3b': 1 } });
  const weights2 = { lA: 2, bA: 1, lB: 1, bB: 1 };
  const afterRebalance = position({
    deploymentUsd: 2000,
    weights: weights2,
    entryPrices: { '1a': 1, '2a': 4, '2b': 4, '3b': 1 },
  });
  const row1 = rebalance({
    sequenceNumber: 1,
    openingTimestamp: t('2026-01-01 00:00:00'),
    closingTimestamp: t('2026-01-03 00:00:00'),
    openingPrices: { '1a': 1, '2a': 2, '2b': 2, '3b': 1 },
    realisedFees: 5,
  });

  it('a statistic before a rebalance is the same before and after the row is recorded', () => {
    const before = new PositionCalculator(entry, [], seriesLookup(rows)).at(
      t('2026-01-02 12:00:00'),
    );
    const after = new PositionCalculator(afterRebalance, [row1], seriesLookup(rows)).at(
      t('2026-01-02 12:00:00'),
    );
    expect(after.statistic).toEqual(before.statistic);
  });

  it('after a rebalance realized_pnl is the closed segment earnings minus its fees', () => {
    const calc = new PositionCalculator(afterRebalance, [row1], seriesLookup(rows));
    const { statistic: s } = calc.at(t('2026-01-04 00:00:00'));
    const w = { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 };
    // Segment 1: two days at SUI 2 (entry price 2, so SUI legs at weight value).
    const seg1Base = (1000 * (w.lA * 0.05 + w.lB * 0.11 - w.bA * 0.07 - w.bB * 0.04) * 2) / 365;
    const seg1Reward = (1000 * ((w.lA + w.lB) * 0.01 + (w.bA + w.bB) * 0.005) * 2) / 365;
    expectAgrees(s.realizedPnl, seg1Base + seg1Reward - 5);
    // Segment 2: one day, 2000 USD at the new weights, amounts at SUI 4 and SUI still 4.
    const seg2Base = (2000 * (2 * 0.05 + 1 * 0.11 - 1 * 0.07 - 1 * 0.04)) / 365;
    const seg2Reward = (2000 * ((2 + 1) * 0.01 + (1 + 1) * 0.005)) / 365;
    expectAgrees(s.livePnl, seg2Base + seg2Reward);
    expect(s.totalFees).toBe(5);
    expectAgrees(s.currentValue, 2000 + s.totalPnl);
    expectAgrees(s.realizedApr, ((s.totalPnl / 2000) * 365) / 3);
  });

  it('rows that do not join up fail every statistic of the position', () => {
    const gap = { ...row1, openingTimestamp: t('2026-01-01 01:00:00') };
    const calc = new PositionCalculator(afterRebalance, [gap], seriesLookup(rows));
    for (const time of ['2026-01-01 00:00:00', '2026-01-04 00:00:00']) {
      expect(() => calc.at(t(time))).toThrow(/invalid position data .*contiguous/);
    }
  });

  it('a closed position has no statistic after its close and all PnL realized at it', () => {
    const closed = {
      ...entry,
      status: 'closed' as const,
      closeTimestamp: t('2026-01-02 00:00:00'),
    };
    const closeRow = rebalance({
      sequenceNumber: 1,
      closingTimestamp: t('2026-01-02 00:00:00'),
      openingPrices: { '1a': 1, '2a': 2, '2b': 2, '3b': 1 },
      realisedFees: 3.2,
    });
    const calc = new PositionCalculator(closed, [closeRow], seriesLookup(rows));
    const { statistic: s, stale } = calc.at(t('2026-01-02 00:00:00'));
    const w = { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 };
    const earnings =
      (1000 *
        (w.lA * 0.05 +
          w.lB * 0.11 -
          w.bA * 0.07 -
          w.bB * 0.04 +
          (w.lA + w.lB) * 0.01 +
          (w.bA + w.bB) * 0.005)) /
      365;
    expect(s.livePnl).toBe(0);
    expect(s.currentApr).toBeNull();
    expect(stale).toBe(false);
    expectAgrees(s.realizedPnl, earnings - 3.2);
    expect(() => calc.at(t('2026-01-02 00:00:01'))).toThrow(StatisticError);
    expect(() => calc.at(t('2025-12-31 23:59:59'))).toThrow(/before its entry/);
  });

  it('a close without its own row ends the open segment at the close, counting entry fees', () => {
    const closed = {
      ...entry,
      status: 'closed' as const,
      closeTimestamp: t('2026-01-02 00:00:00'),
    };
    const { statistic: s } = new PositionCalculator(closed, [], seriesLookup(rows)).at(
      t('2026-01-02 00:00:00'),
    );
    expect(s.livePnl).toBe(0);
    expectAgrees(s.totalFees, 3.2);
    expectAgrees(s.realizedPnl, s.totalEarnings - 3.2);
  });
});
