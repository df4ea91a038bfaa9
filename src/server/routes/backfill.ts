/** Backfill from the dashboard: dry-run preview, start, live events, cancel, history, log. */
import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { planBackfill } from '../../backfill/run.js';
import { selectPositions } from '../../backfill/select.js';
import type { BackfillOptions } from '../../backfill/types.js';
import { formatTime, HOUR } from '../../domain/time.js';
import { readJson, type ServerContext } from '../context.js';
import { ApiError } from '../http-error.js';
import { backfillBody, parseParams, type BackfillBody } from '../params.js';
import { failureJson, runRecordJson, runStateJson } from '../run-state.js';

const HISTORY_LIMIT = 50;
const LOG_NAME = /^backfill_\d{8}_\d{6}(_\d+)?\.log$/;

export function backfillRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.post('/backfill/preview', async (c) => {
    const options = toOptions(ctx, parseParams(backfillBody, await readJson(c)), true);
    const { plans, invalid } = await planBackfill(ctx.store, options);
    return c.json({
      now: formatTime(options.now),
      planned: plans.reduce((sum, plan) => sum + plan.timestamps.length, 0),
      positions: plans.map((plan) => ({
        position_id: plan.positionId,
        status: plan.status,
        planned: plan.timestamps.length,
        existing: plan.existing,
        first: plan.timestamps.length === 0 ? null : formatTime(plan.timestamps[0]!),
        last: plan.timestamps.length === 0 ? null : formatTime(plan.timestamps.at(-1)!),
      })),
      invalid: invalid.map(failureJson),
    });
  });

  app.post('/backfill/runs', ctx.guard, async (c) => {
    const options = toOptions(ctx, parseParams(backfillBody, await readJson(c)), false);
    if (options.positions.length > 0) {
      const { positions, invalid } = await ctx.reference.loadPositions();
      const known = [...positions, ...invalid].map((p) => p.positionId);
      options.positions = [...selectPositions(known, options.positions)];
    }
    const state = await ctx.jobs.start(options);
    return c.json(runStateJson(state), 202);
  });

  app.get('/backfill/runs', async (c) => {
    const current = ctx.jobs.current();
    const runs = await ctx.history.list(HISTORY_LIMIT);
    return c.json({
      current: current === null ? null : runStateJson(current),
      runs: runs.map((run) => {
        const live = ctx.jobs.find(run.id);
        return live === null ? runRecordJson(run) : runStateJson(live);
      }),
    });
  });

  app.get('/backfill/runs/:id', async (c) => {
    const id = c.req.param('id');
    const live = ctx.jobs.find(id);
    if (live !== null) return c.json(runStateJson(live));
    const run = await ctx.history.find(id);
    if (run === null) throw new ApiError(404, 'NOT_FOUND', `no backfill run ${id}`);
    const failures = await ctx.history.failures(id, 100);
    return c.json({ ...runRecordJson(run), failures: failures.map(failureJson) });
  });

  app.post('/backfill/runs/:id/cancel', ctx.guard, (c) => {
    return c.json(runStateJson(ctx.jobs.cancel(c.req.param('id'))), 202);
  });

  app.get('/backfill/runs/:id/events', async (c) => {
    const id = c.req.param('id');
    const live = ctx.jobs.find(id) !== null;
    const stored = live ? null : await ctx.history.find(id);
    if (!live && stored === null) {
      throw new ApiError(404, 'NOT_FOUND', `no backfill run ${id}`);
    }
    return streamSSE(c, async function streamRun(stream) {
      if (stored !== null) {
        // A run of another process: its state now; EventSource reconnects to ask again.
        const event = stored.endedAt === null ? 'state' : 'done';
        await stream.writeSSE({ event, data: JSON.stringify(runRecordJson(stored)) });
        return;
      }
      let finish = (): void => {};
      const finished = new Promise<void>((resolve) => (finish = resolve));
      // Writes are chained so that they leave in order and the last one before the stream ends.
      let written = Promise.resolve();
      const unsubscribe = ctx.jobs.subscribe(id, (kind, state) => {
        const data = JSON.stringify(runStateJson(state));
        written = written.then(() => stream.writeSSE({ event: kind, data }));
        if (kind === 'done') finish();
      });
      stream.onAbort(() => {
        unsubscribe?.();
        finish();
      });
      await finished;
      await written;
    });
  });

  app.get('/backfill/runs/:id/log', async (c) => {
    const id = c.req.param('id');
    const path = ctx.jobs.find(id)?.logFile ?? (await ctx.history.find(id))?.logFile ?? null;
    // Only backfill logs are served, whatever path a database row names.
    if (path === null || !LOG_NAME.test(basename(path)) || !existsSync(resolve(path))) {
      throw new ApiError(404, 'NO_LOG_FILE', `no log file for backfill run ${id} on this host`);
    }
    const body = Readable.toWeb(createReadStream(resolve(path))) as ReadableStream;
    return new Response(body, {
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="${basename(path)}"`,
      },
    });
  });

  return app;
}

function toOptions(ctx: ServerContext, body: BackfillBody, dryRun: boolean): BackfillOptions {
  const clock = ctx.clock();
  return {
    now: body.now ?? clock,
    sampling: body.sampling,
    positions: body.positions,
    start: body.start,
    end: body.end,
    force: body.force,
    dryRun,
    maxRateAgeSeconds: body.max_rate_age_hours * HOUR,
    verifySample: body.verify_sample,
    batchSize: ctx.backfillBatchSize,
    seed: clock,
  };
}
