/** A backfill run's live progress, and the history of runs with their logs. */
import type { RunState, Runs } from '../api-types.js';
import { formatIn, utcSeconds } from '../format.js';

const PHASES = ['discovery', 'planning', 'execution', 'verification'];

interface ProgressProps {
  run: RunState;
  tz: string;
  canWrite: boolean;
  onCancel: (id: string) => void;
}

export function RunProgress({ run, tz, canWrite, onCancel }: ProgressProps) {
  const planned = run.planned ?? 0;
  const share = planned === 0 ? (run.status === 'running' ? 0 : 100) : (100 * run.done) / planned;
  const running = run.status === 'running';
  return (
    <section className="panel run" data-testid="run" data-status={run.status}>
      <div className="run-head">
        <h2>
          Run <code>{run.id}</code> <span className={`chip ${run.status}`}>{run.status}</span>
        </h2>
        {running && canWrite && (
          <button
            type="button"
            className="danger"
            disabled={run.cancel_requested}
            onClick={() => onCancel(run.id)}
          >
            {run.cancel_requested ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      <div className="phases">
        {PHASES.map((phase) => (
          <span key={phase} className={phase === run.phase ? 'phase current' : 'phase'}>
            {phase}
          </span>
        ))}
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-valuenow={Math.round(share)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="bar-fill" style={{ width: `${share}%` }} />
      </div>
      <div className="run-counts">
        <span>
          {run.done.toLocaleString('en-US')} / {planned.toLocaleString('en-US')} planned
        </span>
        <span>saved {(run.saved ?? 0).toLocaleString('en-US')}</span>
        <span className={run.failed ? 'neg' : ''}>
          failed {(run.failed ?? 0).toLocaleString('en-US')}
        </span>
        <span>stale rates {(run.stale_rates ?? 0).toLocaleString('en-US')}</span>
        {run.seconds !== null && <span>{run.seconds.toFixed(1)} s</span>}
        {run.log_url !== null && (
          <a href={run.log_url} download>
            log
          </a>
        )}
      </div>
      {run.message !== null && <div className="notice error">{run.message}</div>}
      {run.verification !== null && (
        <div className={run.verification.passed ? 'notice ok' : 'notice warn'}>
          Verification {run.verification.passed ? 'passed' : 'found problems'}: coverage{' '}
          {run.verification.coverage.covered}/{run.verification.coverage.checked}, recomputed sample{' '}
          {run.verification.recomputed.equal}/{run.verification.recomputed.sampled} equal
          {run.verification.recomputed.differing > 0 &&
            ` (${run.verification.recomputed.differing} values differ from rows written by other programs)`}
          , {run.verification.rows_missing} rows missing, {run.verification.orphans} orphans.
        </div>
      )}
      {run.failures.length > 0 && (
        <ul className="failures">
          {run.failures.slice(0, 10).map((f) => (
            <li key={`${f.position_id}|${f.timestamp ?? ''}`}>
              <code>{f.position_id}</code> {f.timestamp === null ? '' : formatIn(f.timestamp, tz)}:{' '}
              {f.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RunHistory({ runs, tz }: { runs: Runs['runs']; tz: string }) {
  return (
    <section className="panel">
      <h2>Run history</h2>
      {runs.length === 0 ? (
        <div className="empty">No backfill has been recorded in this database yet.</div>
      ) : (
        <div className="table-scroll">
          <table data-testid="history">
            <thead>
              <tr>
                <th>Started</th>
                <th>Status</th>
                <th>Now</th>
                <th>Sampling</th>
                <th className="num">Planned</th>
                <th className="num">Saved</th>
                <th className="num">Failed</th>
                <th className="num">Stale rates</th>
                <th className="num">Duration</th>
                <th>Log</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} title={run.message ?? run.id}>
                  <td>{formatIn(run.started_at, tz)}</td>
                  <td>
                    <span className={`chip ${run.status}`}>{run.status}</span>
                  </td>
                  <td>{run.now === null ? '–' : formatIn(run.now, tz)}</td>
                  <td>{run.sampling ?? '–'}</td>
                  <td className="num">{run.planned ?? '–'}</td>
                  <td className="num">{run.saved ?? '–'}</td>
                  <td className={`num ${run.failed ? 'neg' : ''}`}>{run.failed ?? '–'}</td>
                  <td className="num">{run.stale_rates ?? '–'}</td>
                  <td className="num">{duration(run.started_at, run.ended_at)}</td>
                  <td>
                    {run.log_url === null ? (
                      '–'
                    ) : (
                      <a href={run.log_url} download>
                        {run.log_file}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function duration(start: string, end: string | null): string {
  if (end === null) return '–';
  const seconds = utcSeconds(end) - utcSeconds(start);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
