/**
 * One case on PostgreSQL: import into a fresh database, then per sampling a full backfill on its
 * own copy (CREATE DATABASE … TEMPLATE) and the limit (postgres-limit.ts) in the imported one.
 * Every database of the case is dropped after it, unless `keep` is set.
 */
import { join } from 'node:path';
import pg from 'pg';
import { runLendstats } from './cli.js';
import { createDatabase, dropDatabase, scratchName } from './postgres-server.js';
import { postgresLimit } from './postgres-limit.js';
import { backfillLine, NOW, type BackfillJson, type CaseResult } from './report.js';

export interface PostgresCaseOptions {
  server: string;
  /** Leave the databases for inspection (their names are printed). */
  keep: boolean;
}

async function positionIds(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ position_id: string }>('SELECT position_id FROM positions');
    return result.rows.map((row) => row.position_id);
  } finally {
    await client.end();
  }
}

export async function runPostgresCase(
  name: string,
  source: string,
  work: string,
  options: PostgresCaseOptions,
): Promise<CaseResult[]> {
  const { server } = options;
  const importedName = scratchName(name);
  const created = [importedName];
  try {
    const imported = await createDatabase(server, importedName);
    console.log(`\n== ${name}: importing ${source} into database ${importedName}`);
    const load = runLendstats(['--db', imported, 'import', source, '--json']);
    console.log(`import: ${load.seconds.toFixed(1)} s`);
    const positions = await positionIds(imported);

    const results: CaseResult[] = [];
    for (const sampling of ['adaptive', 'snapshots']) {
      const copyName = scratchName(name, sampling);
      created.push(copyName);
      const db = await createDatabase(server, copyName, importedName);
      const run = runLendstats([
        ...['--db', db, 'backfill', '--now', NOW, '--sampling', sampling, '--json'],
        ...['--log-dir', join(work, 'logs')],
      ]);
      const report = JSON.parse(run.stdout) as BackfillJson;
      if (!options.keep) await dropDatabase(server, copyName);

      const limit = await postgresLimit(imported, report.saved, positions);
      const limitSeconds = limit.selectSeconds + limit.copySeconds;
      results.push({
        name,
        sampling,
        statistics: report.saved,
        seconds: report.seconds,
        rss: run.rssKb / 1024,
        limitSeconds,
      });
      // The bar: the backfill's statistics/s against the rows/s of the COPY alone.
      const copyRate = report.saved / limit.copySeconds;
      const backfillRate = report.saved / report.seconds;
      console.log(
        `${backfillLine(sampling, report, run.rssKb)}; limit ${limitSeconds.toFixed(2)} s ` +
          `(select ${limit.selectSeconds.toFixed(2)} s of ${limit.rateRows} rate rows, COPY ${limit.copySeconds.toFixed(2)} s ` +
          `= ${Math.round(copyRate)} rows/s); limit/backfill = ${(limitSeconds / report.seconds).toFixed(2)}, ` +
          `backfill/COPY rate = ${(backfillRate / copyRate).toFixed(2)}`,
      );
    }
    return results;
  } finally {
    if (options.keep) console.log(`kept databases: ${created.join(', ')}`);
    else for (const database of created) await dropDatabase(server, database);
  }
}
