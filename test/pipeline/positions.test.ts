/**
 * The positions lifecycle against hand-made snapshots: the rows open, rebalance and close write
 * (every value from the closed form), time travel refused, stored statistics kept in line with
 * the engine, and the same writes through the API and the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { legMarkets, loadSeries } from '../../src/backfill/discovery.js';
import { PositionCalculator } from '../../src/domain/statistic.js';
import { YEAR } from '../../src/domain/time.js';
import { closePosition, rebalancePosition } from '../../src/pipeline/position-segment.js';
import { openPosition } from '../../src/pipeline/positions.js';
import { refreshStatistics } from '../../src/pipeline/refresh.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { loadPositions, loadRebalances, loadStatistics } from '../../src/store/queries.js';
import { expectAgrees } from '../helpers/approx.js';
import { SUI, USDC } from '../helpers/builders.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { writeRates } from './rates-rows.js';
import { NOW, OPEN, RATES, t } from './lifecycle-fixture.js';

const S = 1800 / YEAR;

// Segment 1, [00:30, 01:30]: 1000 USD at 1.5/0.9/0.9/0.5; amounts 1500 USDC, 450 SUI, 500 USDC.
const LEND_1 = (1500 * (0.06 + 0.07) + 450 * (2.02 * 0.1 + 2.48 * 0.12)) * S;
const BORROW_1 = (450 * (2 * 0.06 + 2.5 * 0.07) + 500 * (0.04 + 0.999 * 0.05)) * S;
const FEES_1 = 1000 * (0.9 * 0.003 + 0.5 * 0.001);
const PNL_1 = LEND_1 - BORROW_1 - FEES_1;
// Segment 2, [01:30, 02:30]: 1500 USD at 2/1.2/1.2/0.8, amounts at the 01:00 prices.
const B3 = (0.8 * 1500) / 0.999;
const LEND_2 = (3000 * (0.07 + 1.001 * 0.05) + 720 * (2.48 * 0.12 + 2.41 * 0.11)) * S;
const BORROW_2 = (720 * (2.5 * 0.07 + 2.4 * 0.06) + B3 * (0.999 * 0.05 + 0.045)) * S;
const PNL_2 = LEND_2 - BORROW_2;

async function engineAt(store: Store, id: string, at: number) {
  const { positions } = await loadPositions(store, [id]);
  const rows = (await loadRebalances(store, [id])).get(id) ?? [];
  const series = await loadSeries(store, legMarkets(positions));
  return new PositionCalculator(positions[0]!, rows, (key) => series.get(key)).at(at).statistic;
}

describe.each(DIALECTS)('positions lifecycle on $name', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;
  const options = { clock: () => NOW };

  beforeAll(async () => {
    store = await openStore(await targets.fresh(), { create: true });
    await migrate(store);
    await writeRates(store, RATES);
    await store.db
      .insertInto('token_registry')
      .values({ token_contract: USDC, symbol: 'USDC' })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('opens with entry rates, prices, fees and weights from the snapshot in force', async () => {
    const result = await openPosition(store, OPEN, options);

    expect(result.segment).toBeNull();
    expect(result.position).toMatchObject({
      position_id: 'p1',
      status: 'active',
      strategy_type: 'recursive_lending',
      is_paper_trade: 0,
      token1: 'USDC',
      token2: 'SUI',
      token3: 'USDC',
      token1_contract: USDC,
      token2_contract: SUI,
      protocol_a: 'Navi',
      protocol_b: 'Suilend',
      entry_timestamp: '2026-03-01 00:30:00',
      deployment_usd: 1000,
      l_a: 1.5,
      b_a: 0.9,
      l_b: 0.9,
      b_b: 0.5,
      entry_lend_rate_1a: 0.05 + 0.01,
      entry_borrow_rate_2a: 0.08 - 0.02,
      entry_lend_rate_2b: 0.1,
      entry_borrow_rate_3b: 0.04,
      entry_price_1a: 1,
      entry_price_2a: 2,
      entry_price_2b: 2.02,
      entry_price_3b: 1,
      entry_collateral_ratio_1a: 0.85,
      entry_collateral_ratio_2b: 0.7,
      entry_liquidation_threshold_1a: 0.9,
      entry_liquidation_threshold_2b: 0.8,
      entry_borrow_fee_2a: 0.003,
      entry_borrow_fee_3b: 0.001,
      entry_borrow_weight_2a: 1,
      entry_borrow_weight_3b: 1.5,
      entry_liquidation_distance: null,
      accumulated_realised_pnl: 0,
      rebalance_count: 0,
      close_timestamp: null,
      created_at: '2026-03-01 12:00:00',
    });
    expectAgrees(
      result.position['entry_net_apr'] as number,
      1.5 * 0.06 + 0.9 * 0.1 - 0.9 * 0.06 - 0.5 * 0.04 - (0.9 * 0.003 + 0.5 * 0.001),
      'entry_net_apr',
    );
  });

  it('derives the weights from a liquidation distance', async () => {
    const result = await openPosition(
      store,
      { ...OPEN, positionId: 'lev', sizing: { liquidationDistance: 0.25 } },
      options,
    );

    // r = liquidation threshold * (1 - d): leg 1A's 0.9 and leg 2B's 0.8.
    const rA = 0.9 * (1 - 0.25);
    const rB = 0.8 * (1 - 0.25);
    const lA = 1 / (1 - rA * rB);
    expect(lA).toBeCloseTo(1.680672, 6);
    expect(result.position).toMatchObject({
      l_a: lA,
      b_a: rA * lA,
      l_b: rA * lA,
      b_b: rB * (rA * lA),
      entry_liquidation_distance: 0.25,
    });
  });

  it('refuses a second position with the same id, and a moment without a snapshot', async () => {
    await expect(openPosition(store, OPEN, options)).rejects.toThrow('position p1 already exists');
    await expect(
      openPosition(store, { ...OPEN, positionId: 'early', at: t('00:00:00') - 1 }, options),
    ).rejects.toThrow(`no rate data for Navi ${USDC} at or before 2026-02-28 23:59:59`);
  });

  it('rebalances: the segment row closes at the snapshot in force, the position row moves on', async () => {
    await refreshStatistics(store, t('02:00:00'), options);

    const result = await rebalancePosition(
      store,
      {
        position: 'p1',
        at: t('01:30:00'),
        deploymentUsd: 1500,
        sizing: { weights: { lA: 2, bA: 1.2, lB: 1.2, bB: 0.8 } },
        reason: 'drift',
      },
      options,
    );

    const segment = result.segment!;
    expect(segment).toMatchObject({
      position_id: 'p1',
      sequence_number: 1,
      opening_timestamp: '2026-03-01 00:30:00',
      closing_timestamp: '2026-03-01 01:30:00',
      deployment_usd: 1000,
      l_a: 1.5,
      b_a: 0.9,
      opening_lend_rate_1a: 0.05 + 0.01,
      opening_borrow_rate_2a: 0.08 - 0.02,
      opening_price_2a: 2,
      opening_price_2b: 2.02,
      closing_lend_rate_1a: 0.06 + 0.01,
      closing_borrow_rate_2a: 0.09 - 0.02,
      closing_lend_rate_2b: 0.12,
      closing_borrow_rate_3b: 0.05,
      closing_price_2a: 2.5,
      closing_price_3b: 0.999,
      collateral_ratio_1a: 0.85,
      liquidation_threshold_2b: 0.8,
      entry_action_1a: 'Initial deployment',
      exit_action_1a: 'Increase',
      exit_action_2a: 'Increase',
      exit_action_3b: 'Increase',
      entry_token_amount_1a: 1500,
      entry_token_amount_2a: 450,
      entry_token_amount_2b: 450,
      entry_token_amount_3b: 500,
      exit_token_amount_2a: 450,
      entry_size_usd_2b: 450 * 2.02,
      exit_size_usd_2a: 450 * 2.5,
      exit_size_usd_3b: 500 * 0.999,
      realised_fees: FEES_1,
      rebalance_reason: 'drift',
    });
    expectAgrees(segment.realised_lend_earnings as number, LEND_1, 'lend earnings');
    expectAgrees(segment.realised_borrow_costs as number, BORROW_1, 'borrow costs');
    expectAgrees(segment.realised_pnl as number, PNL_1, 'realised_pnl');
    expect(result.position).toMatchObject({
      deployment_usd: 1500,
      l_a: 2,
      b_a: 1.2,
      l_b: 1.2,
      b_b: 0.8,
      entry_price_1a: 1,
      entry_price_2a: 2.5,
      entry_price_2b: 2.48,
      entry_price_3b: 0.999,
      entry_lend_rate_2b: 0.12,
      entry_borrow_fee_2a: 0.003,
      rebalance_count: 1,
      last_rebalance_timestamp: '2026-03-01 01:30:00',
      entry_timestamp: '2026-03-01 00:30:00',
    });
    expectAgrees(result.position['accumulated_realised_pnl'] as number, PNL_1, 'accumulated');
    // The 02:00 statistic saved before the rebalance was recomputed with the new segment.
    expect(result.statistics).toEqual({ rewritten: 1, removed: 0 });
    const [stored] = await loadStatistics(store, { positionIds: ['p1'] });
    const engine = await engineAt(store, 'p1', t('02:00:00'));
    expect(stored!.timestamp).toBe(t('02:00:00'));
    expectAgrees(stored!.values.realized_pnl, engine.realizedPnl, 'realized_pnl');
    expectAgrees(stored!.values.realized_pnl, PNL_1, 'realized_pnl closed form');
    expectAgrees(stored!.values.current_value, engine.currentValue, 'current_value');
  });

  it('refuses writes dated at or before the latest segment closing, or before entry', async () => {
    const refused = (clock: string, kind: string) =>
      `refused: a ${kind} of p1 at 2026-03-01 ${clock} would rewrite history; it must be ` +
      `${kind === 'close' ? 'at or ' : ''}after the latest segment closing at 2026-03-01 01:30:00`;

    await expect(
      rebalancePosition(store, { position: 'p1', at: t('01:15:00') }, options),
    ).rejects.toThrow(refused('01:15:00', 'rebalance'));
    await expect(
      rebalancePosition(store, { position: 'p1', at: t('01:30:00') }, options),
    ).rejects.toThrow(refused('01:30:00', 'rebalance'));
    await expect(
      closePosition(store, { position: 'p1', at: t('01:29:59') }, options),
    ).rejects.toThrow(refused('01:29:59', 'close'));
    await expect(
      closePosition(store, { position: 'lev', at: t('00:29:00') }, options),
    ).rejects.toThrow(
      'refused: a close of lev at 2026-03-01 00:29:00 would rewrite history; it must be at or ' +
        'after its entry at 2026-03-01 00:30:00',
    );
    expect((await loadRebalances(store, ['p1'])).get('p1')).toHaveLength(1);
  });

  it('closes: the final segment ends at the close, statistics after it are removed', async () => {
    await refreshStatistics(store, t('03:00:00'), options);

    const result = await closePosition(store, { position: 'p1', at: t('02:30:00') }, options);

    expect(result.segment).toMatchObject({
      sequence_number: 2,
      opening_timestamp: '2026-03-01 01:30:00',
      closing_timestamp: '2026-03-01 02:30:00',
      deployment_usd: 1500,
      l_a: 2,
      opening_price_3b: 0.999,
      closing_price_3b: 1,
      entry_action_1a: 'Rebalance',
      exit_action_1a: 'Withdraw',
      exit_action_3b: 'Repay',
      entry_token_amount_1a: 3000,
      entry_token_amount_2a: 720,
      entry_token_amount_3b: B3,
      exit_size_usd_3b: B3 * 1,
      realised_fees: 0,
      rebalance_reason: 'position_closed:manual_close',
    });
    expectAgrees(result.segment!.realised_pnl as number, PNL_2, 'realised_pnl');
    expect(result.position).toMatchObject({
      status: 'closed',
      close_timestamp: '2026-03-01 02:30:00',
      close_reason: 'manual_close',
      rebalance_count: 2,
      last_rebalance_timestamp: '2026-03-01 02:30:00',
    });
    expectAgrees(result.position['accumulated_realised_pnl'] as number, PNL_1 + PNL_2, 'sum');
    expect(result.statistics).toEqual({ rewritten: 0, removed: 1 });
    expect((await loadStatistics(store, { positionIds: ['p1'] })).map((s) => s.timestamp)).toEqual([
      t('02:00:00'),
    ]);
    const atClose = await engineAt(store, 'p1', t('02:30:00'));
    expectAgrees(atClose.realizedPnl, PNL_1 + PNL_2, 'engine at close');
    expect(atClose.livePnl).toBe(0);
    await expect(
      rebalancePosition(store, { position: 'p1', at: t('03:00:00') }, options),
    ).rejects.toThrow('position p1 is closed; only an active position can be rebalanced');
  });
});
