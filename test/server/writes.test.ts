import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunLog } from '../../src/cli/logging.js';
import { createApp, type ServerOptions } from '../../src/server/app.js';
import { acquireWriterLock, loadStatistics } from '../../src/store/queries.js';
import { expectAgrees } from '../helpers/approx.js';
import { DIALECTS } from '../helpers/dialects.js';
import { earned, FEE_RATE, t, useFixtureStore } from './fixture.js';

const now = t('2026-03-05 00:00:00');
const LOCAL = { host: 'localhost:8080', 'content-type': 'application/json' };

interface RunJson {
  id: string;
  status: string;
  planned: number | null;
  saved: number | null;
  failed: number | null;
  log_url: string | null;
}

/** Reads a run's server-sent events until `done`; returns the events' names and the last state. */
async function follow(app: ReturnType<typeof createApp>, id: string) {
  const response = await app.request(`/api/backfill/runs/${id}/events`);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await response.text();
  const events = [...text.matchAll(/^event: (\w+)\ndata: (.*)$/gm)];
  return { names: events.map((e) => e[1]), last: JSON.parse(events.at(-1)![2]!) as RunJson };
}

describe.each(DIALECTS)('write endpoints on $name', (dialect) => {
  const fixture = useFixtureStore(dialect);
  const logDir = mkdtempSync(join(tmpdir(), 'lendstats-logs-'));
  const app = (options: ServerOptions = {}) =>
    createApp(fixture.store(), {
      clock: () => now,
      webRoot: null,
      allowWrite: true,
      clientAddress: () => '127.0.0.1',
      openRunLog,
      logDir,
      ...options,
    });
  const post = (target: ReturnType<typeof app>, path: string, body: unknown, headers = {}) =>
    target.request(path, {
      method: 'POST',
      headers: { ...LOCAL, ...headers },
      body: JSON.stringify(body),
    });
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it('saves the engine statistic at T for a local client', async () => {
    const at = '2026-03-01 10:00:00';
    const response = await post(app(), '/api/positions/active-1/statistics', { at });

    expect(response.status).toBe(200);
    const [row] = await loadStatistics(fixture.store(), { positionIds: ['active-1'] });
    expect(row!.timestamp).toBe(t(at));
    expect(row!.calculationTimestamp).toBe(now);
    expectAgrees(row!.values.total_pnl, earned(1000, 10).total - 1000 * FEE_RATE);
  });

  it('refuses writes when read-only, from other hosts without the token, and cross-site', async () => {
    const body = { at: '2026-03-01 10:00:00' };
    const path = '/api/positions/active-1/statistics';
    const remote = { clientAddress: () => '203.0.113.9' };

    const readOnly = await post(app({ allowWrite: false }), path, body);
    expect([readOnly.status, await codeOf(readOnly)]).toEqual([403, 'READ_ONLY']);
    const noToken = await post(app(remote), path, body);
    expect([noToken.status, await codeOf(noToken)]).toEqual([403, 'FORBIDDEN']);
    const wrong = await post(app({ ...remote, token: 's3cret' }), path, body, {
      authorization: 'Bearer guess',
    });
    expect([wrong.status, await codeOf(wrong)]).toEqual([403, 'TOKEN_REQUIRED']);
    const right = await post(app({ ...remote, token: 's3cret' }), path, body, {
      authorization: 'Bearer s3cret',
    });
    expect(right.status).toBe(200);
    const crossSite = await post(app(), path, body, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const rebound = await post(app(), path, body, { host: 'evil.example:8080' });
    expect(rebound.status).toBe(403);
    const form = await app().request(path, { method: 'POST', headers: { host: 'localhost' } });
    expect(form.status).toBe(415);
  });

  it('previews a backfill without writing, per position', async () => {
    const before = (await loadStatistics(fixture.store())).length;
    const response = await post(app({ allowWrite: false }), '/api/backfill/preview', {
      now: '2026-03-03 00:00:00',
    });
    const body = (await response.json()) as {
      planned: number;
      positions: { position_id: string; planned: number; first: string; last: string }[];
    };

    expect(response.status).toBe(200);
    // Hourly grid (ages under 7 days) from entry to the newest snapshot, 03-03 00:00; active-1
    // already has its 10:00 row from the save above.
    expect(body.positions.map((p) => [p.position_id, p.planned])).toEqual([
      ['active-1', 48],
      ['norate-5', 49],
      ['rebal-3', 49],
      ['closed-2', 13],
      ['late-4', 13],
    ]);
    expect(body.planned).toBe(172);
    expect((await loadStatistics(fixture.store())).length).toBe(before);
  });

  it('runs a backfill, streams its progress, records it and serves its log', async () => {
    const target = app();
    const started = await post(target, '/api/backfill/runs', { now: '2026-03-03 00:00:00' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as RunJson;

    const { names, last } = await follow(target, id);
    expect(names.at(-1)).toBe('done');
    expect(last).toMatchObject({ status: 'done', planned: 172, saved: 123, failed: 49 });

    const history = (await (await target.request('/api/backfill/runs')).json()) as {
      runs: RunJson[];
    };
    expect(history.runs[0]).toMatchObject({ id, status: 'done', planned: 172, failed: 49 });
    const log = await target.request(last.log_url!);
    expect(log.status).toBe(200);
    const lines = (await log.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.event === 'position')).toHaveLength(5);
    expect(lines.filter((line) => line.event === 'failure')).toHaveLength(49);
  });

  it('refuses to start while another process holds the writer lock, naming it', async () => {
    const release = await acquireWriterLock(fixture.store(), {
      runId: 'cli-run-1',
      pid: process.pid,
      host: hostname(),
    });
    try {
      const response = await post(app(), '/api/backfill/runs', {});
      expect(response.status).toBe(409);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('DATABASE_BUSY');
      expect(body.error.message).toContain('cli-run-1');
    } finally {
      await release();
    }
  });

  it('cancels a running backfill after its current position', async () => {
    const target = app({ backfillBatchSize: 10 });
    const started = await post(target, '/api/backfill/runs', {
      now: '2026-03-03 00:00:00',
      force: true,
    });
    const { id } = (await started.json()) as RunJson;
    const cancel = await post(target, `/api/backfill/runs/${id}/cancel`, {});
    expect(cancel.status).toBe(202);

    const { last } = await follow(target, id);
    expect(last.status).toBe('interrupted');
    expect(last.saved).toBeLessThan(123);
    const again = await post(target, `/api/backfill/runs/${id}/cancel`, {});
    expect(again.status).toBe(409);
  });
});
