import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTime } from '../../src/domain/time.js';
import { importFolder } from '../../src/io/import.js';
import { openStore, type Store } from '../../src/store/connection.js';
import {
  listMarkets,
  loadPositions,
  loadRateRows,
  loadRebalances,
  newestSnapshot,
  snapshotTimes,
} from '../../src/store/queries.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const SAMPLE = new URL('../../sample/', import.meta.url).pathname;

function sampleCsv(table: string): Record<string, string>[] {
  return parse(readFileSync(`${SAMPLE}${table}.csv`), { columns: true }) as Record<
    string,
    string
  >[];
}

const rates = sampleCsv('rates_snapshot');
const positionsCsv = sampleCsv('positions');

function numberOrNull(text: string | undefined): number | null {
  return text === undefined || text === '' ? null : Number(text);
}

describe.each(DIALECTS)('queries on $name (sample data)', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;

  beforeAll(async () => {
    const target = await targets.fresh();
    await importFolder(SAMPLE, target);
    store = await openStore(target);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('loads every position, ordered by entry then id', async () => {
    const { positions, invalid } = await loadPositions(store);
    expect(invalid).toEqual([]);

    const expected = positionsCsv
      .map((row) => [parseTime(row['entry_timestamp']!), row['position_id']!] as const)
      .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
      .map(([, id]) => id);
    expect(positions.map((p) => p.positionId)).toEqual(expected);
    expect(positions).toHaveLength(14);

    for (const position of positions) {
      const row = positionsCsv.find((r) => r['position_id'] === position.positionId)!;
      expect(position.weights).toEqual({
        lA: Number(row['l_a']),
        bA: Number(row['b_a']),
        lB: Number(row['l_b']),
        bB: Number(row['b_b']),
      });
      expect(position.closeTimestamp).toBe(
        row['close_timestamp'] === '' ? null : parseTime(row['close_timestamp']!),
      );
      expect(position.entryPrices['2b']).toBe(numberOrNull(row['entry_price_2b']));
    }
  });

  it('loads only the positions asked for', async () => {
    const ids = positionsCsv.slice(0, 3).map((row) => row['position_id']!);
    const { positions } = await loadPositions(store, ids);
    expect(positions.map((p) => p.positionId).sort()).toEqual([...ids].sort());
  });

  it('groups rebalance rows by position in sequence order', async () => {
    const rebalances = await loadRebalances(store);
    const csv = sampleCsv('position_rebalances');
    expect([...rebalances.values()].flat()).toHaveLength(csv.length);
    for (const [positionId, rows] of rebalances) {
      const expected = csv
        .filter((row) => row['position_id'] === positionId)
        .map((row) => Number(row['sequence_number']))
        .sort((a, b) => a - b);
      expect(rows.map((row) => row.sequenceNumber)).toEqual(expected);
    }
  });

  it('lists the 78 markets and the 61 snapshot times of the sample', async () => {
    const markets = await listMarkets(store);
    expect(markets).toHaveLength(78);
    const pairs = new Set(rates.map((row) => `${row['protocol']}|${row['token_contract']}`));
    expect(new Set(markets.map((m) => `${m.protocol}|${m.tokenContract}`))).toEqual(pairs);

    const times = await snapshotTimes(store);
    expect(times).toHaveLength(61);
    expect(times).toEqual([...new Set(rates.map((row) => parseTime(row['timestamp']!)))].sort());
    expect(await newestSnapshot(store)).toBe(parseTime('2026-06-30 00:00:00'));
  });

  it('reads the rate rows of the asked markets up to a moment, exactly as in the file', async () => {
    const markets = (await listMarkets(store)).slice(0, 2);
    const upTo = parseTime('2026-06-10 00:00:00');
    const rows = await loadRateRows(store, markets, { upTo });

    const expected = markets.flatMap((market) =>
      rates
        .filter(
          (row) =>
            row['protocol'] === market.protocol &&
            row['token_contract'] === market.tokenContract &&
            parseTime(row['timestamp']!) <= upTo,
        )
        .map((row) => ({
          timestamp: parseTime(row['timestamp']!),
          protocol: row['protocol'],
          tokenContract: row['token_contract'],
          lendBaseApr: numberOrNull(row['lend_base_apr']),
          lendRewardApr: numberOrNull(row['lend_reward_apr']),
          lendTotalApr: numberOrNull(row['lend_total_apr']),
          borrowBaseApr: numberOrNull(row['borrow_base_apr']),
          borrowRewardApr: numberOrNull(row['borrow_reward_apr']),
          borrowTotalApr: numberOrNull(row['borrow_total_apr']),
          priceUsd: numberOrNull(row['price_usd']),
          borrowFee: numberOrNull(row['borrow_fee']),
        }))
        .sort((a, b) => a.timestamp - b.timestamp),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
    expect(await loadRateRows(store, [])).toEqual([]);
  });

  it('reports a position with an empty required column instead of failing the load', async () => {
    const victim = positionsCsv[0]!['position_id']!;
    await store.db
      .updateTable('positions')
      .set({ deployment_usd: null })
      .where('position_id', '=', victim)
      .execute();

    const { positions, invalid } = await loadPositions(store);
    expect(invalid).toEqual([{ positionId: victim, reason: 'deployment_usd is empty' }]);
    expect(positions).toHaveLength(13);
  });
});
