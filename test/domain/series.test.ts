import { describe, expect, it } from 'vitest';
import { MarketSeries } from '../../src/domain/series.js';
import type { RateRow } from '../../src/domain/types.js';
import { rate, SUI, t } from '../helpers/builders.js';

/** Deterministic generator (mulberry32) so the case is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('market series integrals', () => {
  it('agree with a per-interval loop over a year of hourly steps at BTC-sized prices', () => {
    const next = random(42);
    const start = t('2025-01-01 00:00:00');
    const rows: RateRow[] = [];
    for (let h = 0; h < 8760; h++) {
      rows.push(
        rate('2025-01-01 00:00:00', 'navi', SUI, {
          lendBaseApr: 0.01 + next() * 0.2,
          priceUsd: 60_000 + next() * 40_000,
        }),
      );
      rows[h]!.timestamp = start + h * 3600 + (h % 7 === 0 ? 1800 : 0);
    }
    const series = MarketSeries.fromRows(rows);

    const naive = (a: number, b: number): number => {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) {
        const from = Math.max(a, rows[i]!.timestamp);
        const to = Math.min(b, i + 1 < rows.length ? rows[i + 1]!.timestamp : Infinity);
        if (to > from) sum += rows[i]!.priceUsd! * rows[i]!.lendBaseApr! * (to - from);
      }
      return sum;
    };

    let worst = 0;
    for (let k = 0; k < 200; k++) {
      const a = start + Math.floor(next() * 8759 * 3600);
      const b = a + (k % 3 === 0 ? 1 : Math.floor(next() * (start + 8760 * 3600 - a)));
      const exact = naive(a, b);
      worst = Math.max(
        worst,
        Math.abs(series.integral('lendBase', a, b) - exact) / Math.abs(exact),
      );
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('carries NULLs forward and treats a reward never known as 0', () => {
    const series = MarketSeries.fromRows([
      rate('2026-01-01 00:00:00', 'navi', SUI, { lendBaseApr: 0.1, priceUsd: 2 }),
      rate('2026-01-01 01:00:00', 'navi', SUI, { lendRewardApr: 0.05 }),
    ]);
    const at = series.inForce(t('2026-01-01 01:30:00'))!;
    expect(at).toMatchObject({ lendBase: 0.1, lendReward: 0.05, price: 2 });
    expect(series.integral('lendReward', t('2026-01-01 00:00:00'), t('2026-01-01 02:00:00'))).toBe(
      2 * 0.05 * 3600,
    );
    expect(series.inForce(t('2025-12-31 23:59:59'))).toBeNull();
  });
});
