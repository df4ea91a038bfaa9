/** The moment every figure describes: a snapshot time (newest first, by day) or any typed time. */
import { useEffect, useMemo, useState } from 'react';
import type { Snapshots } from '../api-types.js';
import {
  formatIn,
  fromLocalInput,
  timeIn,
  toLocalInput,
  zoneLabel,
  zones,
  utcSeconds,
} from '../format.js';

interface Props {
  at: string;
  tz: string;
  snapshots: Snapshots | null;
  onMoment: (at: string) => void;
  onZone: (tz: string) => void;
}

const weekday = (day: string): string =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });

export function TimePicker({ at, tz, snapshots, onMoment, onZone }: Props) {
  const [typed, setTyped] = useState(() => toLocalInput(at, tz));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setTyped(toLocalInput(at, tz)), [at, tz]);
  const allZones = useMemo(zones, []);
  const isSnapshot = snapshots?.days.some((day) => day.times.includes(at)) ?? false;

  const submit = (): void => {
    const utc = fromLocalInput(typed, tz);
    setInvalid(utc === null);
    if (utc !== null) onMoment(utc);
  };

  return (
    <div className="time-picker">
      <label className="field">
        <span>Snapshot</span>
        <select
          aria-label="Snapshot time"
          value={isSnapshot ? at : ''}
          onChange={(event) => event.target.value !== '' && onMoment(event.target.value)}
        >
          {!isSnapshot && <option value="">custom time</option>}
          {snapshots?.days.map((day) => (
            <optgroup key={day.day} label={`${weekday(day.day)} ${day.day}`}>
              {day.times.map((time) => (
                <option key={time} value={time}>
                  {day.day} {timeIn(time, tz)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <form
        className="field"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <span>Any time ({zoneLabel(tz, utcSeconds(at))})</span>
        <div className="inline">
          <input
            aria-label="Moment"
            type="datetime-local"
            className={invalid ? 'invalid' : ''}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit" className="secondary">
            Show
          </button>
        </div>
      </form>
      <label className="field">
        <span>Time zone</span>
        <select aria-label="Time zone" value={tz} onChange={(event) => onZone(event.target.value)}>
          {allZones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <div className="moment" title={`${at} UTC`}>
        {formatIn(at, tz, true)}
      </div>
    </div>
  );
}
