/** Parses CSV text (RFC 4180) into records with the line each starts on; pure, no file access. */
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';

import { InputError } from '../domain/errors.js';

export interface CsvTextRecord {
  /** Line the record starts on; the header is line 1. */
  line: number;
  fields: string[];
}

export interface CsvText {
  /** Header names as written. */
  header: string[];
  records: CsvTextRecord[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/** Empty lines are skipped; a record with more or fewer fields than the header is an error. */
export function parseCsvText(text: string, file: string): CsvText {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? null;
    throw new InputError(file, line, null, error.message.replace(/ on line \d+$/, ''));
  }

  const first = parsed[0];
  if (first === undefined)
    throw new InputError(file, 1, null, 'the file is empty; expected a header row');

  const records: CsvTextRecord[] = [];
  let lastLine = first.info.lines;
  let lastEmpty = first.info.empty_lines;
  for (const { record, info } of parsed.slice(1)) {
    records.push({ line: lastLine + 1 + (info.empty_lines - lastEmpty), fields: record });
    lastLine = info.lines;
    lastEmpty = info.empty_lines;
  }
  return { header: first.record, records };
}
