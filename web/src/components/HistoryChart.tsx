/** One statistic over time from position_statistics; a gap in the stored rows is a gap in the line. */
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistoryPoint, Metrics } from '../api-types.js';
import { formatApr, formatIn, formatUsd, fromLocalInput, utcSeconds } from '../format.js';

interface Props {
  title: string;
  points: HistoryPoint[];
  field: keyof Metrics;
  kind: 'usd' | 'apr';
  tz: string;
  color: string;
}

interface Datum {
  t: number;
  v: number | null;
}

export function HistoryChart({ title, points, field, kind, tz, color }: Props) {
  const data: Datum[] = [];
  for (const point of points) {
    const t = utcSeconds(point.timestamp);
    const previous = data.at(-1);
    // A null between two rows breaks the line there.
    if (point.gap_before && previous !== undefined) data.push({ t: (previous.t + t) / 2, v: null });
    data.push({ t, v: point[field] });
  }
  const format = kind === 'usd' ? formatUsd : formatApr;
  const ticks = midnights(data[0]?.t ?? 0, data.at(-1)?.t ?? 0, tz);
  const axis = (value: number): string =>
    kind === 'usd' ? compactUsd(value) : `${(value * 100).toFixed(Math.abs(value) < 0.1 ? 1 : 0)}%`;

  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={210}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e7eaf0" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            ticks={ticks}
            tickFormatter={(t: number) => formatIn(t, tz).slice(5, ticks === undefined ? 16 : 10)}
            tick={{ fontSize: 11, fill: '#667085' }}
            minTickGap={40}
          />
          <YAxis
            tickFormatter={axis}
            tick={{ fontSize: 11, fill: '#667085' }}
            width={64}
            domain={['auto', 'auto']}
          />
          <ReferenceLine y={0} stroke="#c4c9d4" />
          <Tooltip
            labelFormatter={(t) => formatIn(Number(t), tz, true)}
            formatter={(value) => [format(value as number), title]}
          />
          <Line
            type="linear"
            dataKey="v"
            stroke={color}
            strokeWidth={2}
            dot={data.length < 40 ? { r: 2 } : false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function compactUsd(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `$${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `$${(value / 1e3).toFixed(1)}k`;
  return `$${value.toFixed(abs < 10 ? 2 : 0)}`;
}

/** Up to seven midnights of the zone across [from, to], evenly thinned; none for short spans. */
function midnights(from: number, to: number, tz: string): number[] | undefined {
  const first = formatIn(from, tz).slice(0, 10);
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  const found: number[] = [];
  for (let i = 0; i <= 800; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    const instant = utcSeconds(fromLocalInput(`${day}T00:00`, tz)!);
    if (instant > to) break;
    if (instant >= from) found.push(instant);
  }
  if (found.length < 3) return undefined;
  const step = Math.ceil(found.length / 7);
  return found.filter((_, i) => i % step === 0);
}
