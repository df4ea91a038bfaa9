/** Small builders for hand-written engine fixtures. */
import { MarketSeries } from '../../src/domain/series.js';
import { marketKey } from '../../src/domain/market.js';
import { parseTime } from '../../src/domain/time.js';
import type { LegId, Position, RateRow, RebalanceRow } from '../../src/domain/types.js';

export const t = (text: string): number => parseTime(text);

export const USDC =
  '0xdba34672e30cb065b1f93e3ab55318768fd6fef66c15942c9f7cb846e2f900e7::usdc::USDC';
export const SUI = '0x2::sui::SUI';

export function position(overrides: Partial<Position> = {}): Position {
  return {
    positionId: 'p1',
    status: 'active',
    token1: 'USDC',
    token2: 'SUI',
    token3: 'USDC',
    token1Contract: USDC,
    token2Contract: SUI,
    token3Contract: USDC,
    protocolA: 'navi',
    protocolB: 'suilend',
    entryTimestamp: t('2026-01-01 00:00:00'),
    deploymentUsd: 1000,
    weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 },
    entryPrices: { '1a': 1, '2a': 1, '2b': 1, '3b': 1 },
    entryBorrowFee2a: 0.003,
    entryBorrowFee3b: 0.001,
    entryNetApr: null,
    closeTimestamp: null,
    ...overrides,
  };
}

export function rate(
  time: string,
  protocol: string,
  tokenContract: string,
  values: Partial<Omit<RateRow, 'timestamp' | 'protocol' | 'tokenContract'>> = {},
): RateRow {
  return {
    timestamp: t(time),
    protocol,
    tokenContract,
    lendBaseApr: null,
    lendRewardApr: null,
    lendTotalApr: null,
    borrowBaseApr: null,
    borrowRewardApr: null,
    borrowTotalApr: null,
    priceUsd: null,
    borrowFee: null,
    ...values,
  };
}

const perLeg = <T>(value: T): Record<LegId, T> => ({
  '1a': value,
  '2a': value,
  '2b': value,
  '3b': value,
});

export function rebalance(
  overrides: Partial<RebalanceRow> & { sequenceNumber: number },
): RebalanceRow {
  return {
    rebalanceId: `r${overrides.sequenceNumber}`,
    positionId: 'p1',
    openingTimestamp: t('2026-01-01 00:00:00'),
    closingTimestamp: null,
    deploymentUsd: 1000,
    weights: { lA: 1.5, bA: 0.9, lB: 0.9, bB: 0.5 },
    openingPrices: perLeg<number | null>(1),
    entryTokenAmounts: perLeg<number | null>(null),
    realisedFees: null,
    ...overrides,
  };
}

/** Groups rows by market the way the store layer hands them to the engine. */
export function seriesLookup(rows: readonly RateRow[]): (key: string) => MarketSeries | undefined {
  const groups = new Map<string, RateRow[]>();
  for (const row of rows) {
    const key = marketKey(row.protocol, row.tokenContract);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const series = new Map([...groups].map(([key, group]) => [key, MarketSeries.fromRows(group)]));
  return (key) => series.get(key);
}
