/**
 * `npm run bench`: the backfill against its limit, measured in one run. Cases: bench-a (from
 * ../shared/data/bench-a) and the generated scale case (200 positions x 365 days hourly).
 * Each: import into a temporary SQLite file, then a full backfill with --now at the last snapshot
 * in both sampling modes (each on its own copy), then the limit (SELECT of the rate rows + raw
 * insert of as many statistic rows). Prints statistics/s, limit/backfill ratio and peak RSS.
 * Options: --case bench-a|scale (repeatable), --keep (leave the temp folder).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generate } from './generate-scale.js';
import { sqliteLimit } from './sqlite-limit.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOW = '2026-02-05 12:00:00';
const BENCH_A = join(ROOT, '..', 'shared', 'data', 'bench-a');

interface CaseResult {
  name: string;
  sampling: string;
  statistics: number;
  seconds: number;
  rss: number;
  limitSeconds: number;
  selectSeconds: number;
  insertSeconds: number;
}

function cli(args: string[]): { stdout: string; rssKb: number; seconds: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'bench/child.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `lendstats ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`,
    );
  }
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr);
  return { stdout: result.stdout, rssKb: rss ? Number(rss[1]) : NaN, seconds };
}

function positionIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT position_id FROM positions').pluck().all() as string[];
  db.close();
  return rows;
}

async function runCase(name: string, source: string, work: string): Promise<CaseResult[]> {
  const imported = join(work, `${name}.db`);
  console.log(`\n== ${name}: importing ${source}`);
  const load = cli(['--db', imported, 'import', source, '--json']);
  console.log(`import: ${load.seconds.toFixed(1)} s`);

  const results: CaseResult[] = [];
  for (const sampling of ['adaptive', 'snapshots']) {
    const db = join(work, `${name}-${sampling}.db`);
    copyFileSync(imported, db);
    const run = cli([
      '--db',
      db,
      'backfill',
      '--now',
      NOW,
      '--sampling',
      sampling,
      '--json',
      '--log-dir',
      join(work, 'logs'),
    ]);
    const report = JSON.parse(run.stdout) as {
      saved: number;
      seconds: number;
      verification: { passed: boolean };
    };
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
      selectSeconds: limit.selectSeconds,
      insertSeconds: limit.insertSeconds,
    });
    console.log(
      `${sampling}: ${report.saved} statistics in ${report.seconds.toFixed(2)} s ` +
        `(${Math.round(report.saved / report.seconds)}/s), verification ${report.verification.passed ? 'passed' : 'FAILED'}, ` +
        `peak RSS ${(run.rssKb / 1024).toFixed(0)} MB; limit ${limitSeconds.toFixed(2)} s ` +
        `(select ${limit.selectSeconds.toFixed(2)} s of ${limit.rateRows} rate rows, insert ${limit.insertSeconds.toFixed(2)} s); ` +
        `limit/backfill = ${(limitSeconds / report.seconds).toFixed(2)}`,
    );
    rmSync(db, { force: true });
    rmSync(limitDb, { force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = args.flatMap((arg, i) => (args[i - 1] === '--case' ? [arg] : []));
  const cases = wanted.length > 0 ? wanted : ['bench-a', 'scale'];
  const work = mkdtempSync(join(tmpdir(), 'lendstats-bench-'));
  const results: CaseResult[] = [];
  try {
    if (cases.includes('bench-a')) {
      if (existsSync(BENCH_A)) results.push(...(await runCase('bench-a', BENCH_A, work)));
      else console.log(`bench-a skipped: ${BENCH_A} not found`);
    }
    if (cases.includes('scale')) {
      const folder = join(work, 'scale-csv');
      console.log('\n== scale: generating 200 positions x 365 days of hourly snapshots (seed 7)');
      await generate({
        out: folder,
        positions: 200,
        days: 365,
        seed: 7,
        end: Date.parse(`${NOW.replace(' ', 'T')}Z`) / 1000,
      });
      results.push(...(await runCase('scale', folder, work)));
    }
  } finally {
    if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
  }

  console.log(
    '\n| case | sampling | statistics | backfill s | statistics/s | limit s | limit/backfill | peak RSS MB |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.sampling} | ${r.statistics} | ${r.seconds.toFixed(2)} | ${Math.round(r.statistics / r.seconds)} | ` +
        `${r.limitSeconds.toFixed(2)} | ${(r.limitSeconds / r.seconds).toFixed(2)} | ${r.rss.toFixed(0)} |`,
    );
  }
}

await main();
