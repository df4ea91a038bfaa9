/** Rows in PostgreSQL's COPY text format: tab-separated fields, `\N` for NULL, one line a row. */

export type CopyValue = string | number | null;

/** Backslash, tab, newline and carriage return would end a field or a row: they are escaped. */
const SPECIAL = /[\\\t\n\r]/;

function escapeText(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/**
 * One field. Numbers are written with JS's shortest round-trip spelling, which PostgreSQL's
 * float8 input reads back to the same double; callers refuse non-finite numbers before.
 */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return escapeText(value);
}

/** One row, with its newline. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = copyField(values[0] ?? null);
  for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i] ?? null)}`;
  return `${line}\n`;
}
