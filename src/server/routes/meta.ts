/** Server facts and the selectable moments (snapshot times, newest first, grouped by day). */
import { Hono } from 'hono';
import { formatTime } from '../../domain/time.js';
import type { ServerContext } from '../context.js';
import { parseParams, snapshotsQuery } from '../params.js';
import { runStateJson } from '../run-state.js';

export function metaRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.get('/info', async (c) => {
    const times = await ctx.reference.snapshotTimes();
    const current = ctx.jobs.current();
    return c.json({
      version: ctx.version,
      dialect: ctx.store.dialect,
      database: ctx.store.target,
      now: formatTime(ctx.clock()),
      newest_snapshot: times.length === 0 ? null : formatTime(times.at(-1)!),
      writes: !ctx.allowWrite ? 'off' : ctx.tokenConfigured ? 'localhost-or-token' : 'localhost',
      max_rate_age_hours: ctx.maxRateAgeSeconds / 3600,
      running_backfill: current === null ? null : runStateJson(current),
    });
  });

  app.get('/snapshots', async (c) => {
    const { tz } = parseParams(snapshotsQuery, c.req.query());
    const times = await ctx.reference.snapshotTimes();
    const dayOf = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const days: { day: string; times: string[] }[] = [];
    for (let i = times.length - 1; i >= 0; i--) {
      const t = times[i]!;
      const day = dayOf.format(new Date(t * 1000));
      if (days.at(-1)?.day !== day) days.push({ day, times: [] });
      days.at(-1)!.times.push(formatTime(t));
    }
    return c.json({ time_zone: tz, count: times.length, days });
  });

  return app;
}
