/**
 * `npm run bench`: the backfill against its limit, measured in one run. Cases: bench-a (from
 * ../shared/data/bench-a) and the generated scale case (200 positions x 365 days hourly).
 * Each: import, then a full backfill with --now at the last snapshot in both sampling modes (each
 * on its own copy), then the limit. On SQLite (a temporary file) the limit is a SELECT of the rate
 * rows + a raw insert of as many statistic rows; with `--db postgres://…` (a server: the bench
 * creates and drops a database per case) it is the SELECT + COPY of as many rows.
 * Prints statistics/s, limit/backfill ratio and peak RSS.
 * Options: --case bench-a|scale|dashboard (repeatable), --db URL, --keep (leave the temp folder and
 * databases). The dashboard case (bench/dashboard.ts: the positions-at-T endpoint against a bare
 * indexed SELECT of the same rows, 200 positions) runs in its own process after the others.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPostgresTarget } from '../src/store/connection.js';
import { ROOT } from './cli.js';
import { generate } from './generate-scale.js';
import { runPostgresCase } from './postgres-case.js';
import { describeServer } from './postgres-server.js';
import { NOW, printTable, type CaseResult } from './report.js';
import { runSqliteCase } from './sqlite-case.js';

const BENCH_A = join(ROOT, '..', 'shared', 'data', 'bench-a');

type CaseRunner = (name: string, source: string, work: string) => Promise<CaseResult[]>;

function optionValues(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, i) => (args[i - 1] === flag ? [arg] : []));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const wanted = optionValues(args, '--case');
  const cases = wanted.length > 0 ? wanted : ['bench-a', 'scale', 'dashboard'];
  const keep = args.includes('--keep');
  const server = optionValues(args, '--db').at(-1);
  if (server !== undefined && !isPostgresTarget(server)) {
    throw new Error(`--db takes a postgres:// server URL, not ${server}; leave it out for SQLite`);
  }
  const runCase: CaseRunner =
    server === undefined
      ? async (name, source, work) => runSqliteCase(name, source, work)
      : (name, source, work) => runPostgresCase(name, source, work, { server, keep });

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
    if (!keep) rmSync(work, { recursive: true, force: true });
  }

  if (server !== undefined) {
    console.log(`\n${await describeServer(server)}; limit = SELECT of the rate rows + COPY`);
  }
  printTable(results);

  if (cases.includes('dashboard') && server !== undefined) {
    console.log(
      '\ndashboard case on PostgreSQL: tsx bench/dashboard.ts --db <URL of an empty database>',
    );
  } else if (cases.includes('dashboard')) {
    console.log('\n== dashboard: positions at T over 200 positions against a bare SELECT');
    const script = join(ROOT, 'bench/dashboard.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (child.status !== 0) throw new Error(`bench/dashboard.ts exited ${child.status}`);
  }
}

await main();
