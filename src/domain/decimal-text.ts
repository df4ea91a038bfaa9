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
 * `text * 10^shift` rounded half away from zero to `decimals` decimal places, on the digits
 * (so `0.0012345` rounds to `0.001235` however the double would fall).
 */
export function roundDecimal(text: string | number, decimals: number, shift = 0): number {
  const parts = parseParts(String(text));
  if (parts === null) throw new RangeError(`not a decimal number: '${String(text)}'`);

  // A leading zero digit gives a carry room to grow (0.96 -> 1.0) without moving the point.
  const digits = `0${parts.digits}`;
  const point = parts.point + shift + 1;
  const keep = point + decimals;
  if (keep >= digits.length) return Number(formatParts({ ...parts, digits, point }));
  if (keep <= 0) return 0;

  const kept = digits.slice(0, keep);
  const rounded = (digits[keep] ?? '0') >= '5' ? incrementDigits(kept) : kept;
  const value = Number(formatParts({ negative: parts.negative, digits: rounded, point }));
  return value === 0 ? 0 : value;
}

function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i -= 1) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}
