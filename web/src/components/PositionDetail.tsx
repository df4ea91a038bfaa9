/** One position at the selected moment: figures, legs, segments up to T, and charts. */
import { useState } from 'react';
import { api } from '../api.js';
import type { Figure, PositionDetail as Detail } from '../api-types.js';
import { formatApr, formatIn, formatNumber, formatUsd, sign } from '../format.js';
import { useLoad } from '../hooks.js';
import { useRun } from '../run-events.js';
import { HistoryChart } from './HistoryChart.js';
import { strategy } from './PositionsTable.js';
import { Provenance } from './Provenance.js';
import { ErrorNote, Loading } from './Status.js';

interface Props {
  id: string;
  at: string;
  tz: string;
  canWrite: boolean;
  onBack: () => void;
}

export function PositionDetail({ id, at, tz, canWrite, onBack }: Props) {
  const detail = useLoad(`${id}|${at}`, () => api.position(id, at));
  const [runId, setRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const run = useRun(runId, () => {
    setBusy(null);
    detail.reload();
  });

  const attempt = async (label: string, work: () => Promise<void>): Promise<void> => {
    setBusy(label);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
      setBusy(null);
    }
  };

  if (detail.data === null) {
    return detail.error !== null ? <ErrorNote error={detail.error} /> : <Loading />;
  }
  const d = detail.data;
  const figure = d.statistic;
  const progress = run !== null && run.planned ? Math.round((100 * run.done) / run.planned) : 0;

  return (
    <div className="view detail">
      <button type="button" className="link back" onClick={onBack}>
        ← All positions
      </button>
      <div className="view-head">
        <div>
          <h1>
            {strategy(d)} <span className={`chip ${d.status}`}>{d.status}</span>
          </h1>
          <div className="sub">
            <code>{d.position_id}</code> · {d.protocol_a} / {d.protocol_b} · entered{' '}
            {formatIn(d.entry_timestamp, tz, true)}
            {d.close_timestamp !== null && ` · closed ${formatIn(d.close_timestamp, tz, true)}`}
            {' · '}entry APR {formatApr(d.entry_apr)}
          </div>
        </div>
        <a className="button secondary" href={api.statisticsCsvUrl(d.position_id, d.at)} download>
          Export CSV
        </a>
      </div>
      {problem !== null && <ErrorNote error={problem} />}
      {d.error !== null && <div className="notice error">{d.error}</div>}
      {figure !== null && (
        <>
          <div className="figure-head">
            <span>
              Figures as of <strong>{formatIn(figure.timestamp, tz, true)}</strong>
            </span>
            <Provenance
              figure={figure}
              tz={tz}
              canWrite={canWrite}
              busy={busy === null ? null : run !== null ? `backfilling ${progress}%` : busy}
              onSave={() =>
                attempt('saving…', async () => {
                  await api.saveStatistic(d.position_id, figure.timestamp);
                  setBusy(null);
                  detail.reload();
                })
              }
              onBackfill={() =>
                attempt('starting…', async () => {
                  const started = await api.backfillPosition(d.position_id);
                  setRunId(started.id);
                })
              }
            />
          </div>
          <FigureCards figure={figure} />
        </>
      )}
      <Legs detail={d} tz={tz} />
      <Segments detail={d} tz={tz} />
      <section className="panel">
        <h2>History</h2>
        {d.history.length === 0 ? (
          <div className="empty">
            No stored statistics up to this moment yet; the figures above are computed. A backfill
            of this position stores them.
          </div>
        ) : (
          <div className="charts">
            <HistoryChart
              title="Total PnL"
              points={d.history}
              field="total_pnl"
              kind="usd"
              tz={tz}
              color="#1d4ed8"
            />
            <HistoryChart
              title="Realized APR"
              points={d.history}
              field="realized_apr"
              kind="apr"
              tz={tz}
              color="#0f766e"
            />
            <HistoryChart
              title="Current APR"
              points={d.history}
              field="current_apr"
              kind="apr"
              tz={tz}
              color="#b45309"
            />
          </div>
        )}
      </section>
    </div>
  );
}

function FigureCards({ figure: f }: { figure: Figure }) {
  const cards: [string, string, string][] = [
    ['Deployment', formatUsd(f.deployment_usd), ''],
    ['Value', formatUsd(f.current_value), ''],
    ['Total PnL', formatUsd(f.total_pnl), sign(f.total_pnl)],
    ['Realized PnL', formatUsd(f.realized_pnl), sign(f.realized_pnl)],
    ['Live PnL', formatUsd(f.live_pnl), sign(f.live_pnl)],
    ['Base earnings', formatUsd(f.base_earnings), sign(f.base_earnings)],
    ['Rewards', formatUsd(f.reward_earnings), sign(f.reward_earnings)],
    ['Fees', formatUsd(f.total_fees), ''],
    ['Realized APR', formatApr(f.realized_apr), sign(f.realized_apr)],
    ['Current APR', formatApr(f.current_apr), sign(f.current_apr)],
  ];
  return (
    <section className="totals compact">
      {cards.map(([label, value, tone]) => (
        <div className="card" key={label}>
          <div className="card-label">{label}</div>
          <div className={`card-value ${tone}`} data-figure={label}>
            {value}
          </div>
        </div>
      ))}
    </section>
  );
}

function Legs({ detail, tz }: { detail: Detail; tz: string }) {
  return (
    <section className="panel">
      <h2>Legs</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Leg</th>
              <th>Action</th>
              <th>Protocol</th>
              <th>Token</th>
              <th className="num">Weight</th>
              <th className="num">Token amount</th>
              <th className="num">APR at entry</th>
              <th className="num">Price at entry</th>
              <th className="num">APR at {detail.moment === detail.at ? 'T' : 'close'}</th>
              <th className="num">Price at {detail.moment === detail.at ? 'T' : 'close'}</th>
            </tr>
          </thead>
          <tbody>
            {detail.legs.map((leg) => (
              <tr key={leg.leg}>
                <td className="strong">{leg.leg}</td>
                <td>
                  <span className={`chip ${leg.action}`}>{leg.action}</span>
                </td>
                <td>{leg.protocol}</td>
                <td title={leg.token_contract}>{leg.token ?? leg.token_contract}</td>
                <td className="num">{formatNumber(leg.weight)}</td>
                <td className="num">{formatNumber(leg.token_amount)}</td>
                <td className="num" title={rateTitle(leg.at_entry, tz)}>
                  {formatApr(leg.at_entry?.apr)}
                </td>
                <td className="num">{formatPrice(leg.at_entry?.price_usd)}</td>
                <td className="num" title={rateTitle(leg.at_t, tz)}>
                  {formatApr(leg.at_t?.apr)}
                </td>
                <td className="num">{formatPrice(leg.at_t?.price_usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Segments({ detail, tz }: { detail: Detail; tz: string }) {
  return (
    <section className="panel">
      <h2>Segments up to this moment</h2>
      {detail.segments_error !== null && (
        <div className="notice error">{detail.segments_error}</div>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>From</th>
              <th>To</th>
              <th className="num">Deployment</th>
              <th className="num">L_A</th>
              <th className="num">B_A</th>
              <th className="num">L_B</th>
              <th className="num">B_B</th>
              <th className="num">Realised fees</th>
            </tr>
          </thead>
          <tbody>
            {detail.segments.map((s, i) => (
              <tr key={s.start}>
                <td>{i + 1}</td>
                <td>{formatIn(s.start, tz)}</td>
                <td>
                  {s.end === null ? <span className="chip active">open</span> : formatIn(s.end, tz)}
                </td>
                <td className="num">{formatUsd(s.deployment_usd)}</td>
                <td className="num">{formatNumber(s.l_a)}</td>
                <td className="num">{formatNumber(s.b_a)}</td>
                <td className="num">{formatNumber(s.l_b)}</td>
                <td className="num">{formatNumber(s.b_b)}</td>
                <td className="num">{formatUsd(s.realised_fees)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function formatPrice(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `$${formatNumber(value, value >= 1 ? 4 : 6)}`;
}

function rateTitle(rates: Detail['legs'][number]['at_entry'], tz: string): string | undefined {
  if (rates === null) return 'no snapshot in force';
  return `snapshot ${formatIn(rates.snapshot, tz, true)}: base ${formatApr(rates.base_apr)}, reward ${formatApr(rates.reward_apr)}`;
}
