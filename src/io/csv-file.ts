/** Streams one CSV file (plain or gzip) as records with the line each starts on. */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { InputError } from '../domain/errors.js';

export interface CsvRecord {
  /** Line the record starts on; the header is line 1. */
  line: number;
  fields: string[];
}

/**
 * The header record first, then the data records. RFC 4180 with LF or CRLF line ends; empty
 * lines are skipped; every record must have as many fields as the header. A line without a quote character is split on commas, which is what
 * RFC 4180 means for it; records with quotes (which may span lines) go through csv-parse. The
 * split is about ten times faster than csv-parse on the 38 MB benchmark rates file.
 */
export async function* readCsvRecords(path: string): AsyncGenerator<CsvRecord> {
  const file = basename(path);
  let width: number | null = null;
  let pending: { line: number; text: string } | null = null;

  const checked = (line: number, fields: string[]): CsvRecord => {
    if (width === null) width = fields.length;
    else if (fields.length !== width) {
      throw new InputError(
        file,
        line,
        null,
        `has ${fields.length} fields; the header has ${width}`,
      );
    }
    return { line, fields };
  };

  let lineNumber = 0;
  for await (const raw of readLines(path, file)) {
    lineNumber += 1;
    const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (pending !== null) {
      pending.text += `\n${text}`;
      if (quotesBalanced(pending.text)) {
        yield checked(pending.line, parseQuoted(file, pending.line, pending.text));
        pending = null;
      }
    } else if (!text.includes('"')) {
      if (text !== '') yield checked(lineNumber, text.split(','));
    } else if (quotesBalanced(text)) {
      yield checked(lineNumber, parseQuoted(file, lineNumber, text));
    } else {
      pending = { line: lineNumber, text };
    }
  }

  if (pending !== null) {
    throw new InputError(file, pending.line, null, 'a quoted field opened here is never closed');
  }
  if (width === null)
    throw new InputError(file, 1, null, 'the file is empty; expected a header row');
}

/** Lines of the file without their line ends (LF or CRLF), decoded as UTF-8. */
async function* readLines(path: string, file: string): AsyncGenerator<string> {
  const source = createReadStream(path);
  const input = path.endsWith('.gz') ? source.pipe(createGunzip()) : source;
  source.on('error', (error) => input.destroy(error));
  input.setEncoding('utf8');

  let rest = '';
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(file, null, null, `cannot read the file: ${detail}`);
  } finally {
    source.destroy();
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** An even number of quote characters closes every quoted field ("" escapes count twice). */
function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count += 1;
  return count % 2 === 0;
}

function parseQuoted(file: string, line: number, text: string): string[] {
  try {
    const records = parse(text, { relax_column_count: true }) as string[][];
    return records[0] ?? [];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const offset = typeof error['lines'] === 'number' ? error['lines'] - 1 : 0;
    throw new InputError(file, line + offset, null, error.message.replace(/ on line \d+$/, ''));
  }
}
