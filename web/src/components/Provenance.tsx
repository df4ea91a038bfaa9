/** Where a figure comes from: a stored statistic (and its age) or the engine, with actions. */
import type { Figure } from '../api-types.js';
import { formatAge, formatIn } from '../format.js';

const REASONS: Record<NonNullable<Figure['computed_reason']>, string> = {
  missing: 'no stored statistic up to this moment',
  stale: 'the latest stored statistic is older than the backfill grid allows',
  not_final: 'no stored statistic at the close',
  incomplete: 'the stored statistic has empty columns',
};

interface Props {
  figure: Figure;
  /** The figures of a position closed by T: the statistic at its close. */
  final?: boolean;
  tz: string;
  canWrite: boolean;
  busy: string | null;
  onSave: () => void;
  onBackfill: () => void;
}

export function Provenance({ figure, final, tz, canWrite, busy, onSave, onBackfill }: Props) {
  if (!figure.computed) {
    const age = figure.age_seconds;
    return (
      <span
        className="badge stored"
        title={`stored statistic at ${formatIn(figure.timestamp, tz, true)}, ${formatAge(age)} before the selected moment`}
      >
        {final === true ? 'stored · final' : age === 0 ? 'stored' : `stored · ${formatAge(age)}`}
      </span>
    );
  }
  const reason = figure.computed_reason === null ? '' : REASONS[figure.computed_reason];
  const passed =
    figure.passed_over === null ? '' : `; passed over ${formatIn(figure.passed_over, tz)}`;
  return (
    <span className="provenance">
      <span className="badge computed" title={`computed now: ${reason}${passed}`}>
        computed
      </span>
      {busy !== null ? (
        <span className="busy">{busy}</span>
      ) : (
        canWrite && (
          <span className="row-actions">
            <button type="button" className="link" onClick={onSave} title="Save this statistic">
              Save
            </button>
            <button
              type="button"
              className="link"
              onClick={onBackfill}
              title="Backfill this position's whole plan"
            >
              Backfill
            </button>
          </span>
        )
      )}
    </span>
  );
}
