/** `serve --schedule`: jobs run one at a time, and a run that would overlap its previous one is skipped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseTime } from '../../src/domain/time.js';
import { RECORDED_ALPHAFI_URL, recordedFetch } from '../../src/pipeline/recorded-responses.js';
import { JobQueue, startSchedules, type Schedules } from '../../src/pipeline/schedules.js';
import { openStore } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrations.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { responsesDir } from './recorded.js';

describe('JobQueue', () => {
  it('skips a job whose previous run has not finished, and runs jobs one after another', async () => {
    const lines: string[] = [];
    const queue = new JobQueue((line) => lines.push(line));
    const order: string[] = [];
    let release = (): void => {};
    const slow = new Promise<void>((resolve) => (release = resolve));

    const first = queue.add('refresh', async () => {
      order.push('refresh start');
      await slow;
      order.push('refresh end');
      return 'first';
    });
    const second = queue.add('refresh', async () => 'second');
    const backfill = queue.add('backfill', async () => {
      order.push('backfill');
      return 'daily';
    });
    release();
    await Promise.all([first, second, backfill]);

    expect(lines).toEqual([
      'refresh: skipped, the previous refresh run has not finished',
      'refresh: first',
      'backfill: daily',
    ]);
    expect(order).toEqual(['refresh start', 'refresh end', 'backfill']);
  });

  it('logs a failed run and goes on with the next', async () => {
    const lines: string[] = [];
    const queue = new JobQueue((line) => lines.push(line));

    await queue.add('refresh', async () => {
      throw new Error('database is busy');
    });
    await queue.add('refresh', async () => 'ok');

    expect(lines).toEqual(['refresh: failed: database is busy', 'refresh: ok']);
  });

  it('starts nothing that is still waiting once closed', async () => {
    const lines: string[] = [];
    const queue = new JobQueue((line) => lines.push(line));

    let started = (): void => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    void queue.add('backfill', async () => {
      started();
      await gate;
      return 'done';
    });
    void queue.add('refresh', async () => 'never');
    await running;
    const closed = queue.close();
    release();
    await closed;

    expect(lines).toEqual(['backfill: done', 'refresh: not started, the schedules are stopping']);
  });
});

describe.each(DIALECTS)('startSchedules on $name', (dialect) => {
  const targets = useDialect(dialect);
  const now = parseTime('2026-01-22 05:17:00');
  const lines: string[] = [];
  let target: string;
  let schedules: Schedules;

  beforeAll(async () => {
    target = await targets.fresh();
    const store = await openStore(target, { create: true });
    await migrate(store);
    await store.close();
    schedules = startSchedules({
      openStore: () => openStore(target),
      log: (line) => lines.push(line),
      clock: () => now,
      paused: true,
      fetchImpl: recordedFetch(responsesDir()),
      alphafiUrl: RECORDED_ALPHAFI_URL,
    });
  });
  afterAll(async () => {
    await schedules?.stop();
  });

  it('refreshes the current hour and backfills, skipping a refresh that would overlap', async () => {
    await Promise.all([schedules.trigger('refresh'), schedules.trigger('refresh')]);
    await schedules.trigger('backfill');

    expect(lines[0]).toBe(
      '2026-01-22 05:17:00 refresh: skipped, the previous refresh run has not finished',
    );
    expect(lines[1]).toBe(
      '2026-01-22 05:17:00 refresh: 2026-01-22 05:00:00: 6 rates rows written, ' +
        '0 statistics saved, 0 failed',
    );
    expect(lines[2]).toMatch(
      /^2026-01-22 05:17:00 backfill: run [0-9a-f-]{36} from the beginning: 0 planned, 0 saved, 0 failed$/,
    );
    const store = await openStore(target);
    try {
      const rows = await store.db.selectFrom('rates_snapshot').select('timestamp').execute();
      expect(rows.map((row) => row.timestamp)).toEqual(Array(6).fill('2026-01-22 05:00:00'));
    } finally {
      await store.close();
    }
  });
});
