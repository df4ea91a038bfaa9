/** Time inside lendstats is a number of UTC seconds; these helpers convert at the edges. */

export const HOUR = 3600;
export const DAY = 86_400;
export const YEAR = 365 * DAY;

const TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** 9999-12-31 23:59:59 UTC: a larger number is almost surely milliseconds. */
const MAX_UNIX_SECONDS = 253_402_300_799;

const CANONICAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export class TimeFormatError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`invalid time '${input}': ${reason}`);
    this.name = 'TimeFormatError';
  }
}

export interface ParseTimeOptions {
  /** Accept fractional seconds (stored values written by other programs); rejected for user input. */
  allowFraction?: boolean;
  /** Accept a bare number as Unix seconds. */
  allowUnix?: boolean;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS` (UTC), ISO 8601 with `T`, `Z` or an offset, or Unix seconds.
 * A time without an offset is UTC, whatever the process's TZ is. Returns whole UTC seconds.
 */
export function parseTime(input: string, options: ParseTimeOptions = {}): number {
  const text = input.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    if (options.allowUnix === false) throw new TimeFormatError(input, 'expected a date and time');
    if (text.includes('.')) throw new TimeFormatError(input, 'fractional seconds are not accepted');
    const seconds = Number(text);
    if (seconds < 0 || seconds > MAX_UNIX_SECONDS) {
      throw new TimeFormatError(
        input,
        'Unix seconds out of range (milliseconds given by mistake?)',
      );
    }
    return seconds;
  }

  const match = TIME_PATTERN.exec(text);
  if (!match) {
    throw new TimeFormatError(input, "expected 'YYYY-MM-DD HH:MM:SS', ISO 8601 or Unix seconds");
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  if (fraction !== undefined && !options.allowFraction) {
    throw new TimeFormatError(input, 'fractional seconds are not accepted');
  }
  if (match[4] === undefined && !options.allowFraction) {
    throw new TimeFormatError(input, "a time of day is required: 'YYYY-MM-DD HH:MM:SS'");
  }

  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  if (!valid) throw new TimeFormatError(input, 'no such date or time');

  const whole = millis / 1000;
  const frac = fraction === undefined ? 0 : Math.floor(Number(fraction));
  return whole + frac - zoneOffsetSeconds(zone);
}

function zoneOffsetSeconds(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * HOUR + Number(digits.slice(2, 4)) * 60);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Formats UTC seconds as `YYYY-MM-DD HH:MM:SS` (arithmetic only: it sits on hot paths). */
export function formatTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / DAY);
  const rest = whole - days * DAY;
  // Civil date from days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's method.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / HOUR);
  const minute = Math.floor((rest - hour * HOUR) / 60);
  const second = rest - hour * HOUR - minute * 60;
  const yyyy = year >= 0 && year < 10_000 ? String(year).padStart(4, '0') : String(year);
  return `${yyyy}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}

/** Reads a timestamp as stored by any program (text or Date), as whole UTC seconds. */
export function readStoredTime(value: string | Date): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (value.length === 19 && CANONICAL.test(value)) {
    const ms = Date.UTC(
      Number(value.slice(0, 4)),
      Number(value.slice(5, 7)) - 1,
      Number(value.slice(8, 10)),
      Number(value.slice(11, 13)),
      Number(value.slice(14, 16)),
      Number(value.slice(17, 19)),
    );
    if (
      Number.isFinite(ms) &&
      Number(value.slice(5, 7)) <= 12 &&
      Number(value.slice(11, 13)) < 24
    ) {
      const check = new Date(ms);
      if (check.getUTCDate() === Number(value.slice(8, 10))) return ms / 1000;
    }
  }
  return Math.floor(parseTime(value, { allowFraction: true, allowUnix: false }));
}
