/** Backfill with the CLI's options: dry-run preview first, then a run followed live, and history. */
import { useState } from 'react';
import { api } from '../api.js';
import type { BackfillRequest, Preview, RunState } from '../api-types.js';
import { formatIn, fromLocalInput } from '../format.js';
import { useLoad } from '../hooks.js';
import { useRun } from '../run-events.js';
import { RunHistory, RunProgress } from './RunViews.js';
import { ErrorNote } from './Status.js';

interface Props {
  tz: string;
  canWrite: boolean;
}

interface Form {
  positions: string;
  start: string;
  end: string;
  now: string;
  sampling: 'adaptive' | 'snapshots';
  force: boolean;
  maxRateAge: string;
  verifySample: string;
}

const EMPTY: Form = {
  positions: '',
  start: '',
  end: '',
  now: '',
  sampling: 'adaptive',
  force: false,
  maxRateAge: '24',
  verifySample: '50',
};

/** The form as the API's body; throws with a readable message on a bad field. */
function toRequest(form: Form, tz: string): BackfillRequest {
  const time = (label: string, value: string): string | null => {
    if (value.trim() === '') return null;
    const utc = fromLocalInput(value, tz);
    if (utc === null) throw new Error(`${label}: expected a date and time`);
    return utc;
  };
  return {
    positions: form.positions.split(/[\s,]+/).filter((id) => id !== ''),
    start: time('Start', form.start),
    end: time('End', form.end),
    now: time('Now', form.now),
    sampling: form.sampling,
    force: form.force,
    max_rate_age_hours: Number(form.maxRateAge),
    verify_sample: Number(form.verifySample),
  };
}

export function BackfillPanel({ tz, canWrite }: Props) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [preview, setPreview] = useState<{ key: string; result: Preview } | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const [pending, setPending] = useState(false);
  const runs = useLoad('runs', () => api.runs());
  const [runId, setRunId] = useState<string | null>(null);
  const live = useRun(runId ?? runs.data?.current?.id ?? null, () => runs.reload());

  const set = <K extends keyof Form>(key: K, value: Form[K]): void =>
    setForm({ ...form, [key]: value });
  const key = JSON.stringify(form) + tz;
  const previewed = preview !== null && preview.key === key;

  const guarded = async (work: () => Promise<void>): Promise<void> => {
    setProblem(null);
    setPending(true);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setPending(false);
    }
  };

  const running = live !== null && live.status === 'running';
  return (
    <div className="view">
      <div className="view-head">
        <h1>Backfill</h1>
      </div>
      <p className="lead">
        Computes and stores the statistics the plan asks for, exactly as{' '}
        <code>lendstats backfill</code> does, under the same writer lock. Preview the plan first;
        nothing is written until you start.
      </p>
      <section className="panel">
        <form
          className="backfill-form"
          onSubmit={(event) => {
            event.preventDefault();
            void guarded(async () =>
              setPreview({ key, result: await api.preview(toRequest(form, tz)) }),
            );
          }}
        >
          <label className="field wide">
            <span>Positions (ids or prefixes; empty: all)</span>
            <input
              aria-label="Positions"
              value={form.positions}
              onChange={(e) => set('positions', e.target.value)}
              placeholder="all positions"
            />
          </label>
          <label className="field">
            <span>Start ({tz})</span>
            <input
              aria-label="Start"
              type="datetime-local"
              value={form.start}
              onChange={(e) => set('start', e.target.value)}
            />
          </label>
          <label className="field">
            <span>End ({tz})</span>
            <input
              aria-label="End"
              type="datetime-local"
              value={form.end}
              onChange={(e) => set('end', e.target.value)}
            />
          </label>
          <label className="field">
            <span>Now ({tz}; empty: wall clock)</span>
            <input
              aria-label="Now"
              type="datetime-local"
              value={form.now}
              onChange={(e) => set('now', e.target.value)}
            />
          </label>
          <label className="field">
            <span>Sampling</span>
            <select
              aria-label="Sampling"
              value={form.sampling}
              onChange={(e) => set('sampling', e.target.value as Form['sampling'])}
            >
              <option value="adaptive">adaptive (1 h / 4 h / 12 h by age)</option>
              <option value="snapshots">at every snapshot time</option>
            </select>
          </label>
          <label className="field narrow">
            <span>Max rate age (h)</span>
            <input
              aria-label="Max rate age"
              type="number"
              min="0"
              step="any"
              value={form.maxRateAge}
              onChange={(e) => set('maxRateAge', e.target.value)}
            />
          </label>
          <label className="field narrow">
            <span>Verify sample</span>
            <input
              aria-label="Verify sample"
              type="number"
              min="0"
              step="1"
              value={form.verifySample}
              onChange={(e) => set('verifySample', e.target.value)}
            />
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.force}
              onChange={(e) => set('force', e.target.checked)}
            />
            Force: recompute and overwrite stored rows
          </label>
          <div className="actions">
            <button type="submit" className="secondary" disabled={pending}>
              Preview (dry run)
            </button>
            <button
              type="button"
              disabled={!canWrite || !previewed || running || pending}
              title={
                !canWrite
                  ? 'the server is read-only (start it with --allow-write)'
                  : !previewed
                    ? 'preview these options first'
                    : undefined
              }
              onClick={() =>
                void guarded(async () => {
                  const state: RunState = await api.startBackfill(toRequest(form, tz));
                  setRunId(state.id);
                  runs.reload();
                })
              }
            >
              Start backfill
            </button>
          </div>
        </form>
        {problem !== null && <ErrorNote error={problem} />}
        {previewed && <PreviewTable preview={preview.result} tz={tz} />}
      </section>
      {live !== null && (
        <RunProgress
          run={live}
          tz={tz}
          canWrite={canWrite}
          onCancel={(id) => void guarded(async () => void (await api.cancelBackfill(id)))}
        />
      )}
      <RunHistory runs={runs.data?.runs ?? []} tz={tz} />
    </div>
  );
}

function PreviewTable({ preview, tz }: { preview: Preview; tz: string }) {
  const busy = preview.positions.filter((p) => p.planned > 0);
  return (
    <div className="preview" data-testid="preview">
      <p>
        Dry run at now = {formatIn(preview.now, tz, true)}:{' '}
        <strong>{preview.planned.toLocaleString('en-US')}</strong> statistics to compute for{' '}
        {busy.length} of {preview.positions.length} positions. Nothing was written.
      </p>
      <div className="table-scroll short">
        <table>
          <thead>
            <tr>
              <th>Position</th>
              <th>Status</th>
              <th className="num">Planned</th>
              <th className="num">Stored</th>
              <th>First</th>
              <th>Last</th>
            </tr>
          </thead>
          <tbody>
            {preview.positions.map((p) => (
              <tr key={p.position_id} className={p.planned === 0 ? 'muted' : ''}>
                <td>
                  <code>{p.position_id}</code>
                </td>
                <td>{p.status}</td>
                <td className="num">{p.planned}</td>
                <td className="num">{p.existing}</td>
                <td>{p.first === null ? '–' : formatIn(p.first, tz)}</td>
                <td>{p.last === null ? '–' : formatIn(p.last, tz)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.invalid.length > 0 && (
        <div className="notice warn">
          {preview.invalid.length} positions cannot be planned:{' '}
          {preview.invalid.map((f) => `${f.position_id}: ${f.reason}`).join('; ')}
        </div>
      )}
    </div>
  );
}
