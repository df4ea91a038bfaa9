/** One group of positions at T (active, or closed by T) with their figures. */
import type { PositionRow } from '../api-types.js';
import { formatApr, formatIn, formatUsd, shortId, sign } from '../format.js';
import { Provenance } from './Provenance.js';

interface Props {
  title: string;
  rows: PositionRow[];
  tz: string;
  canWrite: boolean;
  busy: Record<string, string>;
  onOpen: (id: string) => void;
  onSave: (row: PositionRow) => void;
  onBackfill: (row: PositionRow) => void;
}

export function strategy(row: Pick<PositionRow, 'token1' | 'token2' | 'token3'>): string {
  return [row.token1, row.token2, row.token3].map((token) => token ?? '?').join(' → ');
}

const METRIC_COLUMNS = 9;

export function PositionsTable(props: Props) {
  const { title, rows } = props;
  if (rows.length === 0) return null;
  return (
    <section className="panel">
      <h2>
        {title} <span className="count">{rows.length}</span>
      </h2>
      <div className="table-scroll">
        <table className="positions">
          <thead>
            <tr>
              <th>Position</th>
              <th>Strategy</th>
              <th className="num">Deployed</th>
              <th className="num">Entry APR</th>
              <th className="num">Realized APR</th>
              <th className="num">Current APR</th>
              <th className="num">PnL</th>
              <th className="num">Base</th>
              <th className="num">Rewards</th>
              <th className="num">Fees</th>
              <th className="num">Value</th>
              <th>Figures</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row key={row.position_id} row={row} {...props} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Row({
  row,
  tz,
  canWrite,
  busy,
  onOpen,
  onSave,
  onBackfill,
}: Props & { row: PositionRow }) {
  const s = row.statistic;
  const when =
    row.close_timestamp === null
      ? `since ${formatIn(row.entry_timestamp, tz)}`
      : `closed ${formatIn(row.close_timestamp, tz)}`;
  return (
    <tr data-position={row.position_id}>
      <td>
        <button type="button" className="position-link" onClick={() => onOpen(row.position_id)}>
          {shortId(row.position_id)}
        </button>
        <div className="sub">{when}</div>
      </td>
      <td>
        <div>{strategy(row)}</div>
        <div className="sub">
          {row.protocol_a} / {row.protocol_b}
        </div>
      </td>
      {s === null ? (
        <td colSpan={METRIC_COLUMNS} className="row-error">
          {row.error ?? 'no figures'}
        </td>
      ) : (
        <>
          <td className="num" data-col="deployment_usd">
            {formatUsd(s.deployment_usd)}
          </td>
          <td className="num muted">{formatApr(row.entry_apr)}</td>
          <td className={`num ${sign(s.realized_apr)}`} data-col="realized_apr">
            {formatApr(s.realized_apr)}
          </td>
          <td
            className={`num ${sign(s.current_apr)}`}
            data-col="current_apr"
            title={s.current_apr === null ? 'no rates within the age limit, or closed' : undefined}
          >
            {formatApr(s.current_apr)}
          </td>
          <td className={`num strong ${sign(s.total_pnl)}`} data-col="total_pnl">
            {formatUsd(s.total_pnl)}
          </td>
          <td className={`num ${sign(s.base_earnings)}`} data-col="base_earnings">
            {formatUsd(s.base_earnings)}
          </td>
          <td className="num" data-col="reward_earnings">
            {formatUsd(s.reward_earnings)}
          </td>
          <td className="num" data-col="total_fees">
            {formatUsd(s.total_fees)}
          </td>
          <td className="num" data-col="current_value">
            {formatUsd(s.current_value)}
          </td>
        </>
      )}
      <td>
        {s !== null && (
          <Provenance
            figure={s}
            final={row.group === 'closed'}
            tz={tz}
            canWrite={canWrite}
            busy={busy[row.position_id] ?? null}
            onSave={() => onSave(row)}
            onBackfill={() => onBackfill(row)}
          />
        )}
      </td>
    </tr>
  );
}
