import { describe, expect, it } from 'vitest';
import { positionsText } from '../../src/server/json-text.js';
import { positionAtJson } from '../../src/server/json.js';
import { positionsAt } from '../../src/server/positions-at.js';
import { ReferenceData } from '../../src/server/reference-data.js';
import { upsertStatistics } from '../../src/store/queries.js';
import { DIALECTS } from '../helpers/dialects.js';
import { t, useFixtureStore } from './fixture.js';

describe.each(DIALECTS.filter((d) => d.name === 'sqlite'))(
  'positions list text on $name',
  (dialect) => {
    const fixture = useFixtureStore(dialect);

    it('writes the same document as JSON.stringify of the row objects', async () => {
      // Stored and computed figures, a closed position, an error row, a stored passed-over row.
      await upsertStatistics(
        fixture.store(),
        [
          {
            positionId: 'active-1',
            timestamp: t('2026-03-02 05:00:00'),
            totalPnl: -1.25,
            totalEarnings: 0.1,
            baseEarnings: 0.07,
            rewardEarnings: 0.03,
            totalFees: 1.35,
            currentValue: 998.75,
            realizedApr: null,
            currentApr: 0.1358,
            livePnl: -1.25,
            realizedPnl: 0,
          },
        ],
        t('2026-03-04 00:00:00'),
      );
      for (const [at, now] of [
        ['2026-03-02 06:00:00', '2026-03-05 00:00:00'],
        ['2026-03-02 06:30:00', '2026-03-05 00:00:00'],
      ] as const) {
        const list = await positionsAt(fixture.store(), new ReferenceData(fixture.store()), t(at), {
          now: t(now),
          maxRateAgeSeconds: 86_400,
        });
        const text = positionsText(list.positions, list.at);

        expect(JSON.parse(text)).toEqual(list.positions.map((row) => positionAtJson(row, list.at)));
        expect(text).toBe(
          JSON.stringify(list.positions.map((row) => positionAtJson(row, list.at))),
        );
      }
    });
  },
);
