/** Vitest global setup: says once per run when the PostgreSQL half of the store tests is skipped. */
import { PG_URL_VARIABLE } from './dialects.js';

export default function announcePostgres(): void {
  const url = process.env[PG_URL_VARIABLE];
  if (url !== undefined && url !== '') return;
  const outcome = process.env['CI'] === 'true' ? 'FAIL (required on CI)' : 'be skipped';
  process.stderr.write(
    `\nNOTICE: ${PG_URL_VARIABLE} is not set, so the PostgreSQL store tests will ${outcome}. ` +
      `Set it to a server URL, e.g. ${PG_URL_VARIABLE}=postgres://postgres@127.0.0.1:5432/postgres\n\n`,
  );
}
