/** The lifecycle writes through the dashboard API (guarded, cache refreshed) and the CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp, type ServerOptions } from '../../src/server/app.js';
import { openStore, type Store } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { SUI, USDC } from '../helpers/builders.js';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { NOW, RATES } from './lifecycle-fixture.js';
import { writeRates } from './rates-rows.js';

const LOCAL = { host: 'localhost:8080', 'content-type': 'application/json' };
const AT_3 = '2026-03-01 03:00:00';

const OPEN_BODY = {
  position_id: 'api-1',
  at: '2026-03-01 00:30:00',
  protocol_a: 'Navi',
  protocol_b: 'Suilend',
  token1_contract: USDC,
  token2_contract: SUI,
  token3_contract: USDC,
  deployment_usd: 1000,
  weights: { l_a: 1.5, b_a: 0.9, l_b: 0.9, b_b: 0.5 },
};

interface Written {
  position_id: string;
  position: Record<string, unknown>;
  segment: Record<string, unknown> | null;
  statistics: { rewritten: number; removed: number };
}

describe.each(DIALECTS)('lifecycle API and CLI on $name', (dialect) => {
  const targets = useDialect(dialect);
  let store: Store;
  let target: string;
  const app = (options: ServerOptions = {}) =>
    createApp(store, {
      clock: () => NOW,
      webRoot: null,
      allowWrite: true,
      clientAddress: () => '127.0.0.1',
      ...options,
    });
  const post = (server: ReturnType<typeof app>, path: string, body: unknown) =>
    server.request(`/api${path}`, { method: 'POST', headers: LOCAL, body: JSON.stringify(body) });
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    target = await targets.fresh();
    store = await openStore(target, { create: true });
    await migrate(store);
    await writeRates(store, RATES);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses writes on a read-only server and from other hosts', async () => {
    const readOnly = await post(app({ allowWrite: false }), '/positions', OPEN_BODY);
    const remote = await post(app({ clientAddress: () => '10.0.0.7' }), '/positions', OPEN_BODY);

    expect(readOnly.status).toBe(403);
    expect((await errorOf(readOnly)).code).toBe('READ_ONLY');
    expect(remote.status).toBe(403);
    expect((await errorOf(remote)).code).toBe('FORBIDDEN');
  });

  it('opens, rebalances and closes, and the positions list sees each write at once', async () => {
    const server = app();
    const listed = async () => {
      const response = await server.request(`/api/positions?at=${encodeURIComponent(AT_3)}`);
      const body = (await response.json()) as {
        positions: { position_id: string; status: string }[];
      };
      return body.positions.map((p) => `${p.position_id} ${p.status}`);
    };
    expect(await listed()).toEqual([]);

    const opened = await post(server, '/positions', OPEN_BODY);
    expect(opened.status).toBe(201);
    const open = (await opened.json()) as Written;
    expect(open.position).toMatchObject({ position_id: 'api-1', entry_price_2b: 2.02, l_a: 1.5 });
    expect(open.segment).toBeNull();
    expect(await listed()).toEqual(['api-1 active']);

    const rebalanced = await post(server, '/positions/api-1/rebalance', {
      at: '2026-03-01 01:30:00',
      deployment_usd: 1500,
      weights: { l_a: 2, b_a: 1.2, l_b: 1.2, b_b: 0.8 },
    });
    expect(rebalanced.status).toBe(200);
    const rebalance = (await rebalanced.json()) as Written;
    expect(rebalance.segment).toMatchObject({ sequence_number: 1, realised_fees: 3.2 });
    expect(rebalance.position).toMatchObject({ deployment_usd: 1500, rebalance_count: 1 });

    const late = await post(server, '/positions/api-1/rebalance', { at: '2026-03-01 01:00:00' });
    expect(late.status).toBe(400);
    expect((await errorOf(late)).message).toBe(
      'refused: a rebalance of api-1 at 2026-03-01 01:00:00 would rewrite history; it must be ' +
        'after the latest segment closing at 2026-03-01 01:30:00',
    );

    const closed = await post(server, '/positions/api-1/close', { at: '2026-03-01 02:30:00' });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as Written).position).toMatchObject({
      status: 'closed',
      close_timestamp: '2026-03-01 02:30:00',
      rebalance_count: 2,
    });
    expect(await listed()).toEqual(['api-1 closed']);
  });

  it('answers bad requests with a status and a message', async () => {
    const server = app();

    const both = await post(server, '/positions', { ...OPEN_BODY, liquidation_distance: 0.2 });
    const neither = await post(server, '/positions', {
      ...OPEN_BODY,
      weights: undefined,
      position_id: 'api-2',
    });
    const unknown = await post(server, '/positions/nope/close', {});

    expect(both.status).toBe(400);
    expect((await errorOf(both)).message).toBe(
      'give either weights or liquidation_distance, not both',
    );
    expect(neither.status).toBe(400);
    expect((await errorOf(neither)).message).toBe('give weights or liquidation_distance');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('UNKNOWN_POSITION');
  });

  it('writes the same rows from the command line, and refuses time travel with exit 2', () => {
    const db = ['--db', target];
    const open = runCli([
      ...db,
      'position',
      'open',
      '--protocol-a',
      'Navi',
      '--protocol-b',
      'Suilend',
      '--token1',
      USDC,
      '--token2',
      SUI,
      '--token3',
      USDC,
      '--deployment',
      '1000',
      '--weights',
      '1.5,0.9,0.9,0.5',
      '--at',
      '2026-03-01 00:30:00',
      '--id',
      'cli-1',
      '--json',
    ]);
    expect(open.stderr).toBe('');
    expect(open.code).toBe(0);
    expect(
      (JSON.parse(open.stdout) as { position: Record<string, unknown> }).position,
    ).toMatchObject({
      position_id: 'cli-1',
      entry_price_2a: 2,
      entry_borrow_fee_3b: 0.001,
      b_b: 0.5,
    });

    const early = runCli([...db, 'position', 'rebalance', 'cli', '--at', '2026-03-01 00:20:00']);
    expect(early.code).toBe(2);
    expect(early.stderr).toBe(
      'error: refused: a rebalance of cli-1 at 2026-03-01 00:20:00 would rewrite history; it ' +
        'must be after its entry at 2026-03-01 00:30:00\n',
    );

    const close = runCli([...db, 'position', 'close', 'cli-1', '--at', '2026-03-01 02:00:00']);
    expect(close.code).toBe(0);
    expect(close.stdout.split('\n')[0]).toBe('closed cli-1');
  });
});
