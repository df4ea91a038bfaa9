/**
 * SQLite returns a column under its declared name (`L_A`) even for `SELECT l_a`, and older
 * databases declare mixed case, so every row read by name passes through here.
 */

/** The row with every key in lower case. */
export function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key.toLowerCase()] = value;
  return out;
}
