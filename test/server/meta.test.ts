import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { DIALECTS } from '../helpers/dialects.js';
import { t, useFixtureStore } from './fixture.js';

interface Snapshots {
  time_zone: string;
  count: number;
  days: { day: string; times: string[] }[];
}

describe.each(DIALECTS)('snapshot times and server facts on $name', (dialect) => {
  const fixture = useFixtureStore(dialect);
  const app = () =>
    createApp(fixture.store(), { clock: () => t('2026-03-05 00:00:00'), webRoot: null });

  it('lists snapshot times newest first, grouped by UTC day', async () => {
    const body = (await (await app().request('/api/snapshots')).json()) as Snapshots;

    expect(body.count).toBe(49);
    expect(body.days.map((day) => [day.day, day.times.length])).toEqual([
      ['2026-03-03', 1],
      ['2026-03-02', 24],
      ['2026-03-01', 24],
    ]);
    expect(body.days[1]!.times.slice(0, 2)).toEqual(['2026-03-02 23:00:00', '2026-03-02 22:00:00']);
  });

  it('groups by the days of the display time zone, times still in UTC', async () => {
    const response = await app().request('/api/snapshots?tz=America/New_York');
    const body = (await response.json()) as Snapshots;

    expect(body.days.map((day) => [day.day, day.times.length])).toEqual([
      ['2026-03-02', 20],
      ['2026-03-01', 24],
      ['2026-02-28', 5],
    ]);
    expect(body.days[0]!.times[0]).toBe('2026-03-03 00:00:00');
    const bad = await app().request('/api/snapshots?tz=Mars/Olympus');
    expect(bad.status).toBe(400);
  });

  it('says whether writes are accepted and which snapshot is newest', async () => {
    const body = (await (await app().request('/api/info')).json()) as Record<string, unknown>;

    expect(body).toMatchObject({
      dialect: dialect.name,
      newest_snapshot: '2026-03-03 00:00:00',
      now: '2026-03-05 00:00:00',
      writes: 'off',
      running_backfill: null,
    });
    const unknown = await app().request('/api/nothing');
    expect(unknown.status).toBe(404);
  });
});
