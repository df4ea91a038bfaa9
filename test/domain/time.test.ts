import { describe, expect, it } from 'vitest';
import { formatTime, parseTime, readStoredTime } from '../../src/domain/time.js';

describe('TIME arguments', () => {
  const instant = Date.UTC(2026, 5, 30, 12, 34, 56) / 1000;

  it('reads the UTC, ISO and Unix forms as the same instant', () => {
    expect(parseTime('2026-06-30 12:34:56')).toBe(instant);
    expect(parseTime('2026-06-30T12:34:56Z')).toBe(instant);
    expect(parseTime('2026-06-30T14:34:56+02:00')).toBe(instant);
    expect(parseTime('2026-06-30T07:34:56-0500')).toBe(instant);
    expect(parseTime(String(instant))).toBe(instant);
  });

  it('refuses fractional seconds, even zero ones, and dates without a time', () => {
    expect(() => parseTime('2026-06-30 12:34:56.5')).toThrow('fractional seconds');
    expect(() => parseTime('2026-06-30 12:34:56.000')).toThrow('fractional seconds');
    expect(() => parseTime('1782822896.0')).toThrow('fractional seconds');
    expect(() => parseTime('2026-06-30')).toThrow('time of day');
  });

  it('refuses impossible dates and millisecond stamps', () => {
    expect(() => parseTime('2026-02-30 00:00:00')).toThrow('no such date');
    expect(() => parseTime('2026-06-30 24:00:00')).toThrow('no such date');
    expect(() => parseTime(String(instant * 1000))).toThrow('milliseconds');
  });

  it('reads stored spellings of other programs as instants', () => {
    expect(readStoredTime('2026-06-30 12:34:56')).toBe(instant);
    expect(readStoredTime('2026-06-30T12:34:56.123456')).toBe(instant);
    expect(readStoredTime('2026-06-30T12:34:56+00:00')).toBe(instant);
    expect(readStoredTime('2026-06-30 12:34:56Z')).toBe(instant);
  });

  it('formats every day of four centuries like Date does', () => {
    for (let s = -400 * 86_400; s < 400 * 366 * 86_400; s += 86_400 * 7 + 3601) {
      expect(formatTime(s)).toBe(new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' '));
    }
  });
});
