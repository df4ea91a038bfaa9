/** Unit conversions on decimal text: one rounding to a double, never two. */
import { describe, expect, it } from 'vitest';

import { isDecimalText, roundToDecimals, shiftDecimal } from '../../src/domain/decimal-text.js';

describe('shiftDecimal', () => {
  it('moves the point on the digits: rays, wads, percent, exponents', () => {
    expect(shiftDecimal('34282565663493028210648694', -27)).toBe(
      Number('0.034282565663493028210648694'),
    );
    expect(shiftDecimal('1523930630000000000', -18)).toBe(1.52393063);
    expect(shiftDecimal('6.6228', -2)).toBe(0.066228);
    expect(shiftDecimal('5.5e+34', -27)).toBe(55_000_000);
    expect(shiftDecimal('-0.5', 1)).toBe(-5);
    expect(shiftDecimal('0', -27)).toBe(0);
  });

  it('refuses what is not a number', () => {
    expect(isDecimalText('1.5e-3')).toBe(true);
    expect(isDecimalText('3.4%')).toBe(false);
    expect(() => shiftDecimal('n/a', 2)).toThrow("not a decimal number: 'n/a'");
  });
});

describe('roundToDecimals', () => {
  it('rounds the double as Python round() does', () => {
    expect(roundToDecimals(0.03025 / 100, 6)).toBe(0.000302);
    expect(roundToDecimals(99604.37283599195, 10)).toBe(99604.3728359919);
    expect(roundToDecimals(0.9399999999999999, 6)).toBe(0.94);
    expect(roundToDecimals(-0.0000001, 6)).toBe(0);
  });
});
