/** CSV downloads: one position's stored statistics, or every position's figures at T. */
import { stringify } from 'csv-stringify/sync';
import { formatTime } from '../domain/time.js';
import { METRIC_COLUMNS } from '../domain/types.js';
import type { StoredStatistic } from '../store/queries.js';
import { positionAtJson, time } from './json.js';
import type { PositionAt } from './positions-at.js';

type Cell = string | number | boolean | null;

export function statisticsCsv(rows: readonly StoredStatistic[]): string {
  const header = ['position_id', 'timestamp', ...METRIC_COLUMNS, 'calculation_timestamp'];
  const records: Cell[][] = rows.map((row) => [
    row.positionId,
    formatTime(row.timestamp),
    ...METRIC_COLUMNS.map((column) => row.values[column]),
    time(row.calculationTimestamp),
  ]);
  return stringify([header, ...records], { cast: { boolean: String } });
}

const POSITION_COLUMNS = [
  'position_id',
  'group',
  'status',
  'token1',
  'token2',
  'token3',
  'protocol_a',
  'protocol_b',
  'entry_timestamp',
  'close_timestamp',
  'entry_apr',
] as const;

const FIGURE_COLUMNS = [
  'timestamp',
  'computed',
  'computed_reason',
  'deployment_usd',
  ...METRIC_COLUMNS,
] as const;

export function positionsAtCsv(rows: readonly PositionAt[], at: number): string {
  const header = [
    ...POSITION_COLUMNS,
    ...FIGURE_COLUMNS.map((c) => (c === 'timestamp' ? 'statistic_timestamp' : c)),
    'error',
  ];
  const records: Cell[][] = rows.map((row) => {
    const json = positionAtJson(row, at);
    const figure = json.statistic;
    return [
      ...POSITION_COLUMNS.map((column) => json[column]),
      ...FIGURE_COLUMNS.map((column) => (figure === null ? null : figure[column])),
      json.error,
    ];
  });
  return stringify([header, ...records], { cast: { boolean: String } });
}
