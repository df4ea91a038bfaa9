/**
 * Unit conversions on decimal text. Protocols send fixed-point integers (1e27 rays, 1e18 wads)
 * and percent strings; shifting the decimal point in the text and converting once gives the
 * nearest double, where `Number(x) / 1e27` or `x / 100` would add a second rounding.
 */

interface DecimalParts {
  negative: boolean;
  /** All significant digits, without sign or point. */
  digits: string;
  /** Position of the decimal point, counted from the left of `digits` (may be < 0 or > length). */
  point: number;
}

const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseParts(text: string): DecimalParts | null {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return null;
  return {
    negative: sign === '-',
    digits: whole + fraction,
    point: whole.length + Number(exponent),
  };
}

function formatParts(parts: DecimalParts): string {
  const { digits, point } = parts;
  let whole: string;
  let fraction: string;
  if (point <= 0) {
    whole = '0';
    fraction = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    fraction = '';
  } else {
    whole = digits.slice(0, point);
    fraction = digits.slice(point);
  }
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return parts.negative ? `-${text}` : text;
}

/** True when `text` is a plain or exponent-notation decimal number. */
export function isDecimalText(text: string): boolean {
  return parseParts(text) !== null;
}

/** `text * 10^places`, computed on the digits and rounded to a double once. */
export function shiftDecimal(text: string | number, places: number): number {
  const parts = parseParts(String(text));
  if (parts === null) throw new RangeError(`not a decimal number: '${String(text)}'`);
  return Number(formatParts({ ...parts, point: parts.point + places }));
}

/**
 * `value` rounded to `decimals` places as a double: the nearest multiple of 10^-decimals to the
 * exact binary value (`toFixed`), which is what Python's `round(x, n)` gives outside exact ties.
 */
export function roundToDecimals(value: number, decimals: number): number {
  const rounded = Number(value.toFixed(decimals));
  return rounded === 0 ? 0 : rounded;
}
