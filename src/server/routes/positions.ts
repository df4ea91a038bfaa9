/** Positions at T, portfolio totals, one position's detail, saving a statistic, CSV exports. */
import { Hono } from 'hono';
import { hostname } from 'node:os';
import { formatTime } from '../../domain/time.js';
import { acquireWriterLock, loadStatistics, upsertStatistics } from '../../store/queries.js';
import {
  defaultMoment,
  figureContext,
  fileStamp,
  findPosition,
  readJson,
  type ServerContext,
} from '../context.js';
import { positionsAtCsv, statisticsCsv } from '../csv-export.js';
import { ApiError } from '../http-error.js';
import { totalsJson } from '../json.js';
import { positionsText } from '../json-text.js';
import { atQuery, parseParams, saveBody } from '../params.js';
import { detailJson } from '../detail-json.js';
import { positionDetail } from '../position-detail.js';
import { positionsAt } from '../positions-at.js';
import { computedFigure, computeStatistics } from '../statistic-at.js';

export function positionRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  const listAt = async (query: Record<string, string>) => {
    const at = await defaultMoment(ctx, parseParams(atQuery, query).at);
    return positionsAt(ctx.store, ctx.reference, at, figureContext(ctx));
  };

  app.get('/positions', async (c) => {
    const list = await listAt(c.req.query());
    const invalid = list.invalid.map((p) => ({ position_id: p.positionId, reason: p.reason }));
    const text =
      `{"at":"${formatTime(list.at)}","now":"${formatTime(list.now)}",` +
      `"totals":${JSON.stringify(totalsJson(list.totals))},` +
      `"positions":${positionsText(list.positions, list.at)},"invalid":${JSON.stringify(invalid)}}`;
    return c.body(text, 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });

  app.get('/portfolio', async (c) => {
    const list = await listAt(c.req.query());
    return c.json({ at: formatTime(list.at), totals: totalsJson(list.totals) });
  });

  app.get('/positions.csv', async (c) => {
    const list = await listAt(c.req.query());
    const name = `positions_${fileStamp(formatTime(list.at))}.csv`;
    return csvResponse(positionsAtCsv(list.positions, list.at), name);
  });

  app.get('/positions/:id', async (c) => {
    const position = await findPosition(ctx, c.req.param('id'));
    const at = await defaultMoment(ctx, parseParams(atQuery, c.req.query()).at);
    if (at < position.entryTimestamp) {
      throw new ApiError(
        422,
        'OUT_OF_RANGE',
        `position ${position.positionId} enters at ${formatTime(position.entryTimestamp)}, after ${formatTime(at)}`,
      );
    }
    const detail = await positionDetail(ctx.store, ctx.reference, position, at, figureContext(ctx));
    return c.json(detailJson(detail, at));
  });

  app.get('/positions/:id/statistics.csv', async (c) => {
    const position = await findPosition(ctx, c.req.param('id'));
    const { at } = parseParams(atQuery, c.req.query());
    const rows = await loadStatistics(ctx.store, {
      positionIds: [position.positionId],
      ...(at === undefined ? {} : { to: at }),
    });
    return csvResponse(statisticsCsv(rows), `statistics_${position.positionId}.csv`);
  });

  app.post('/positions/:id/statistics', ctx.guard, async (c) => {
    const position = await findPosition(ctx, c.req.param('id'));
    const { at } = parseParams(saveBody, await readJson(c));
    const request = { position, at, reason: 'missing' as const, passedOver: null };
    const result = (await computeStatistics(ctx.reference, [request], ctx.maxRateAgeSeconds)).get(
      position.positionId,
    )!;
    if (result instanceof Error) throw result;

    const release = await acquireWriterLock(ctx.store, {
      runId: `web-save-${ctx.clock()}`,
      pid: process.pid,
      host: hostname(),
    });
    try {
      await upsertStatistics(ctx.store, [result.statistic], ctx.clock());
    } finally {
      await release();
    }
    const figure = computedFigure(request, result);
    return c.json({
      position_id: position.positionId,
      saved: true,
      statistic: {
        ...figure.values,
        timestamp: formatTime(at),
        deployment_usd: figure.deploymentUsd,
      },
    });
  });

  return app;
}

function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    },
  });
}
