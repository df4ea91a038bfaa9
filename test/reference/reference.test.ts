/**
 * lendstats's engine against an independent, naive reading of SPEC-statistics.md
 * (reference-engine.ts): the sample, a slice of bench-a and hand-made edge cases.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StatisticError } from '../../src/domain/errors.js';
import { ownTables, tablesAsOf } from './as-of.js';
import { EnginePair, lendstatsAt, toRateRow, type Columns } from './compare.js';
import { SCENARIOS, scenarioTimes } from './adversarial-cases.js';
import { readTables, type CsvTables } from './csv-tables.js';
import { hourlyRates, positionRow, rateRow, SUI, USDC } from './hand-rows.js';
import { ReferenceRates, referenceStatistic, utcSeconds } from './reference-engine.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Entry, every rebalance instant and the close (each ±1 s), snapshot times and random times. */
function momentsOf(
  tables: CsvTables,
  id: string,
  options: { snapshots: boolean; random: number; seed: number },
): number[] {
  const position = tables.positions.find((p) => p['position_id'] === id)!;
  const snapshots = [...new Set(tables.rates.map((r) => utcSeconds(r['timestamp']!)))];
  const newest = Math.max(...snapshots);
  const entry = utcSeconds(position['entry_timestamp']!);
  const close = position['close_timestamp'] ?? null;
  const end = close === null ? newest : Math.min(utcSeconds(close), newest);

  const events = [entry, end];
  for (const row of tables.rebalances.filter((r) => r['position_id'] === id)) {
    for (const key of ['opening_timestamp', 'closing_timestamp']) {
      if (row[key] !== null) events.push(utcSeconds(row[key]!));
    }
  }
  const times = new Set<number>();
  for (const e of events) [e - 1, e, e + 1].forEach((x) => times.add(x));
  if (options.snapshots)
    snapshots.filter((s) => s >= entry && s <= end).forEach((s) => times.add(s));
  const next = random(options.seed);
  for (let i = 0; i < options.random; i++)
    times.add(entry + Math.floor(next() * (end - entry + 1)));

  // Shuffled: the calculator keeps lookup hints and caches between calls.
  const list = [...times];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function agreeAll(
  tables: CsvTables,
  options: { snapshots: boolean; random: number },
): { checked: number; disagreements: string[] } {
  const pair = new EnginePair(tables.positions, tables.rebalances, tables.rates);
  const disagreements: string[] = [];
  let checked = 0;
  tables.positions.forEach((position, index) => {
    const id = position['position_id']!;
    for (const at of momentsOf(tables, id, { ...options, seed: 1000 + index })) {
      checked++;
      disagreements.push(...pair.disagreements(id, at));
    }
  });
  return { checked, disagreements };
}

function agrees(a: Columns | StatisticError, b: Columns | StatisticError): boolean {
  if (a instanceof StatisticError || b instanceof StatisticError) {
    return a instanceof StatisticError && b instanceof StatisticError && a.code === b.code;
  }
  return Object.keys(b).every((key) => {
    const x = a[key] ?? null;
    const y = b[key] ?? null;
    return x === null || y === null ? x === y : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
  });
}

/** lendstats at T from the full tables equals lendstats at T from the tables as they stood at T. */
function replayDisagreements(tables: CsvTables, perPosition: number): string[] {
  const full = new EnginePair(tables.positions, tables.rebalances, tables.rates);
  const out: string[] = [];
  tables.positions.forEach((position, index) => {
    const id = position['position_id']!;
    const times = momentsOf(tables, id, { snapshots: false, random: perPosition, seed: 7 + index });
    const own = ownTables(tables, id);
    const rateRows = own.rates.map(toRateRow);
    for (const at of times) {
      const past = tablesAsOf({ ...own, rates: [] }, at);
      const rates = rateRows.filter((row) => row.timestamp <= at);
      const then = lendstatsAt(past.positions[0]!, past.rebalances, rates, at);
      if (!agrees(full.actual(id, at), then)) out.push(`${id.slice(0, 8)} @ ${at}`);
    }
  });
  return out;
}

describe('the reference engine itself', () => {
  it("reproduces SPEC-statistics.md's worked example at 03:00", () => {
    const rates = hourlyRates(0);
    const row = (time: string, protocol: string, contract: string, v: number[]) =>
      rateRow(time, protocol, contract, {
        lend_base_apr: v[0]!,
        lend_reward_apr: v[1]!,
        borrow_base_apr: v[2]!,
        borrow_reward_apr: v[3]!,
        price_usd: 1,
        borrow_fee: protocol === 'navi' ? 0.003 : 0.001,
      });
    for (const [time, navi, sl] of [
      ['2026-01-01 00:00:00', 0.05, 0.1],
      ['2026-01-01 01:00:00', 0.06, 0.12],
    ] as const) {
      rates.push(
        row(time, 'navi', USDC, [navi, 0.01, 0.07, 0]),
        row(time, 'navi', SUI, [0.03, 0, 0.08, 0.02]),
        row(time, 'suilend', SUI, [sl, 0, 0.14, 0]),
        row(time, 'suilend', USDC, [0.02, 0, 0.04, 0]),
      );
    }
    const position = positionRow({
      entry_timestamp: '2026-01-01 00:00:00',
      entry_price_2a: 1,
      entry_price_2b: 1,
    });

    const s = referenceStatistic(
      position,
      [],
      new ReferenceRates(rates),
      utcSeconds('2026-01-01 03:00:00'),
    );

    expect(s.base_earnings).toBeCloseTo(285 / 8760, 15);
    expect(s.reward_earnings).toBeCloseTo(99 / 8760, 15);
    expect(s.total_fees).toBeCloseTo(3.2, 12);
    expect(s.realized_apr).toBeCloseTo(-9.216, 12);
    expect(s.current_apr).toBeCloseTo(0.1358, 12);
  });
});

describe('lendstats agrees with the reference', () => {
  it('on every sample position at every snapshot time, random times, rebalances and closes', () => {
    const { checked, disagreements } = agreeAll(readTables(join(ROOT, 'sample')), {
      snapshots: true,
      random: 150,
    });

    expect(checked).toBeGreaterThan(2000);
    expect(disagreements).toEqual([]);
  });

  it('on a slice of bench-a (outage, odd minutes, missing rows, rebalances, closes)', () => {
    const tables = readTables(join(ROOT, 'test', 'fixtures', 'bench-a-slice'));

    const { checked, disagreements } = agreeAll(tables, { snapshots: false, random: 300 });

    expect(tables.positions).toHaveLength(9);
    expect(checked).toBeGreaterThan(2700);
    expect(disagreements).toEqual([]);
  });

  describe.each(SCENARIOS)('on a hand-made case: $name', (scenario) => {
    it.each(['ascending', 'descending'])('at every T, %s', (order) => {
      const pair = new EnginePair(
        scenario.positions,
        scenario.rebalances,
        scenario.rates,
        scenario.maxRateAgeSeconds,
      );
      const times = scenarioTimes(scenario);
      const id = scenario.positions[0]!['position_id']!;

      const disagreements = (order === 'ascending' ? times : [...times].reverse()).flatMap((at) =>
        pair.disagreements(id, at),
      );

      expect(disagreements).toEqual([]);
    });
  });
});

describe('rows dated after T change nothing in lendstats', () => {
  it('on the sample: full tables vs the tables as they stood at T', () => {
    expect(replayDisagreements(readTables(join(ROOT, 'sample')), 12)).toEqual([]);
  });

  it('on the bench-a slice: full tables vs the tables as they stood at T', () => {
    expect(
      replayDisagreements(readTables(join(ROOT, 'test', 'fixtures', 'bench-a-slice')), 6),
    ).toEqual([]);
  });
});
