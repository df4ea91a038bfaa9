/** Time inside lendstats is a number of UTC seconds; these helpers convert at the edges. */

export const HOUR = 3600;
export const DAY = 86_400;
export const YEAR = 365 * DAY;

const TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

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
    return Number(text);
  }

  const match = TIME_PATTERN.exec(text);
  if (!match) {
    throw new TimeFormatError(input, "expected 'YYYY-MM-DD HH:MM:SS', ISO 8601 or Unix seconds");
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  if (fraction !== undefined && !options.allowFraction && !/^\.0+$/.test(fraction)) {
    throw new TimeFormatError(input, 'fractional seconds are not accepted');
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

/** Formats UTC seconds as `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Reads a timestamp as stored by any program (text or Date), as whole UTC seconds. */
export function readStoredTime(value: string | Date): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  return Math.floor(parseTime(value, { allowFraction: true, allowUnix: false }));
}
