/** Every position at the selected moment: totals on top, active positions, then closed ones. */
import { useState } from 'react';
import { api } from '../api.js';
import type { PositionRow } from '../api-types.js';
import { formatIn } from '../format.js';
import { useLoad } from '../hooks.js';
import { watchRun } from '../run-events.js';
import { PositionsTable } from './PositionsTable.js';
import { Totals } from './Totals.js';
import { ErrorNote, Loading } from './Status.js';

interface Props {
  at: string;
  tz: string;
  canWrite: boolean;
  onOpen: (id: string) => void;
}

export function PositionsView({ at, tz, canWrite, onOpen }: Props) {
  const list = useLoad(at, () => api.positions(at));
  const [busy, setBusy] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const mark = (id: string, text: string | null): void =>
    setBusy((previous) =>
      Object.fromEntries(
        Object.entries({ ...previous, [id]: text }).filter(
          (entry): entry is [string, string] => entry[1] !== null,
        ),
      ),
    );

  const act = async (row: PositionRow, work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      setNotice(`${row.position_id}: ${error instanceof Error ? error.message : String(error)}`);
      mark(row.position_id, null);
    }
  };

  const save = (row: PositionRow): Promise<void> =>
    act(row, async () => {
      mark(row.position_id, 'saving…');
      await api.saveStatistic(row.position_id, row.statistic!.timestamp);
      mark(row.position_id, null);
      list.reload();
    });

  const backfill = (row: PositionRow): Promise<void> =>
    act(row, async () => {
      mark(row.position_id, 'starting…');
      const run = await api.backfillPosition(row.position_id);
      watchRun(run.id, (state, done) => {
        const share = state.planned ? Math.round((100 * state.done) / state.planned) : 0;
        mark(row.position_id, done ? null : `backfilling ${share}%`);
        if (done) {
          if (state.status !== 'done') setNotice(`backfill ${state.id}: ${state.status}`);
          list.reload();
        }
      });
    });

  if (list.data === null) {
    return list.error !== null ? <ErrorNote error={list.error} /> : <Loading />;
  }
  const data = list.data;
  const active = data.positions.filter((row) => row.group === 'active');
  const closed = data.positions.filter((row) => row.group === 'closed');
  const tableProps = { tz, canWrite, busy, onOpen, onSave: save, onBackfill: backfill };

  return (
    <div className={list.loading ? 'view reloading' : 'view'}>
      <div className="view-head">
        <h1>
          Positions at <span className="at">{formatIn(data.at, tz, true)}</span>
        </h1>
        <a className="button secondary" href={api.positionsCsvUrl(data.at)} download>
          Export CSV
        </a>
      </div>
      {list.error !== null && <ErrorNote error={list.error} />}
      {notice !== null && (
        <div className="notice" role="status">
          {notice}
          <button type="button" className="link" onClick={() => setNotice(null)}>
            dismiss
          </button>
        </div>
      )}
      <Totals totals={data.totals} />
      {data.positions.length === 0 && (
        <div className="empty">No position had been entered by this moment.</div>
      )}
      <PositionsTable title="Active" rows={active} {...tableProps} />
      <PositionsTable title="Closed by then" rows={closed} {...tableProps} />
      {data.invalid.length > 0 && (
        <div className="notice warn">
          {data.invalid.length} position rows cannot be read:{' '}
          {data.invalid.map((p) => `${p.position_id} (${p.reason})`).join('; ')}
        </div>
      )}
    </div>
  );
}
