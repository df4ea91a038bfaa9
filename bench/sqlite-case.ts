/**
 * One case on SQLite: import into a temporary file, then per sampling a full backfill on its own
 * copy and the limit (sqlite-limit.ts) on another copy of the imported file.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runLendstats } from './cli.js';
import { backfillLine, NOW, type BackfillJson, type CaseResult } from './report.js';
import { sqliteLimit } from './sqlite-limit.js';

function positionIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT position_id FROM positions').pluck().all() as string[];
  db.close();
  return rows;
}

export function runSqliteCase(name: string, source: string, work: string): CaseResult[] {
  const imported = join(work, `${name}.db`);
  console.log(`\n== ${name}: importing ${source}`);
  const load = runLendstats(['--db', imported, 'import', source, '--json']);
  console.log(`import: ${load.seconds.toFixed(1)} s`);

  const results: CaseResult[] = [];
  for (const sampling of ['adaptive', 'snapshots']) {
    const db = join(work, `${name}-${sampling}.db`);
    copyFileSync(imported, db);
    const run = runLendstats([
      ...['--db', db, 'backfill', '--now', NOW, '--sampling', sampling, '--json'],
      ...['--log-dir', join(work, 'logs')],
    ]);
    const report = JSON.parse(run.stdout) as BackfillJson;

    const limitDb = join(work, `${name}-${sampling}-limit.db`);
    copyFileSync(imported, limitDb);
    const limit = sqliteLimit(limitDb, report.saved, positionIds(limitDb));
    const limitSeconds = limit.selectSeconds + limit.insertSeconds;
    results.push({
      name,
      sampling,
      statistics: report.saved,
      seconds: report.seconds,
      rss: run.rssKb / 1024,
      limitSeconds,
    });
    console.log(
      `${backfillLine(sampling, report, run.rssKb)}; limit ${limitSeconds.toFixed(2)} s ` +
        `(select ${limit.selectSeconds.toFixed(2)} s of ${limit.rateRows} rate rows, insert ${limit.insertSeconds.toFixed(2)} s); ` +
        `limit/backfill = ${(limitSeconds / report.seconds).toFixed(2)}`,
    );
    rmSync(db, { force: true });
    rmSync(limitDb, { force: true });
  }
  return results;
}
