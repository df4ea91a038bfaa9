/**
 * The dashboard's positions-at-T endpoint against a bare indexed SELECT of the same rows.
 * Builds the scale case (200 generated positions, hourly snapshots), backfills it, then for a
 * spread of moments times GET /api/positions?at=T (in-process, and over HTTP) and the SELECT
 * the endpoint issues (latest statistic at or before T per position) run straight on the driver.
 * Usage: tsx bench/dashboard.ts [--days 365] [--positions 200] [--rounds 200]
 *        [--db postgres://.../empty_database] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { runBackfill } from '../src/backfill/run.js';
import { formatTime, HOUR, parseTime } from '../src/domain/time.js';
import { importFolder } from '../src/io/import.js';
import { createApp } from '../src/server/app.js';
import { openStore, type Store } from '../src/store/connection.js';
import { latestStatisticsSql } from '../src/store/latest-statistics.js';
import { generate } from './generate-scale.js';

const END = parseTime('2026-02-05 12:00:00');

interface Args {
  days: number;
  positions: number;
  rounds: number;
  db: string | null;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
  const number = (name: string, fallback: number): number =>
    argv.includes(name) ? Number(value(name)) : fallback;
  return {
    days: number('--days', 365),
    positions: number('--positions', 200),
    rounds: number('--rounds', 200),
    db: argv.includes('--db') ? value('--db')! : null,
    keep: argv.includes('--keep'),
  };
}

/**
 * Median milliseconds of each call, measured in turns (one of each per round, after a warm-up),
 * so that a busy machine slows them alike.
 */
async function timeTogether(rounds: number, calls: readonly (() => unknown)[]): Promise<number[]> {
  const samples = calls.map((): number[] => []);
  for (let round = -Math.min(20, rounds); round < rounds; round++) {
    for (const [i, call] of calls.entries()) {
      const started = performance.now();
      await call();
      if (round >= 0) samples[i]!.push(performance.now() - started);
    }
  }
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

async function prepare(args: Args, work: string): Promise<Store> {
  const folder = join(work, 'csv');
  console.log(`generating ${args.positions} positions x ${args.days} days of hourly snapshots`);
  await generate({ out: folder, positions: args.positions, days: args.days, seed: 7, end: END });
  const target = args.db ?? join(work, 'dashboard.db');
  let started = performance.now();
  await importFolder(folder, target);
  console.log(`import: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const store = await openStore(target);
  started = performance.now();
  const report = await runBackfill(
    store,
    {
      now: END,
      sampling: 'adaptive',
      positions: [],
      start: null,
      end: null,
      force: false,
      dryRun: false,
      maxRateAgeSeconds: 24 * HOUR,
      verifySample: 0,
      batchSize: 50_000,
      seed: 1,
    },
    () => {},
    { runId: 'bench-dashboard' },
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`backfill: ${report.saved} statistics in ${seconds.toFixed(1)} s`);
  return store;
}

/**
 * The endpoint's SELECT on the driver itself: the same statement, the same rows, as the driver
 * returns them by default (objects), and as arrays (SQLite's raw mode, PostgreSQL's rowMode).
 */
function bareSelects(store: Store, at: number): [() => Promise<unknown>, () => Promise<unknown>] {
  const bound = formatTime(at);
  if (store.sqlite !== undefined) {
    const objects = store.sqlite.prepare(latestStatisticsSql('sqlite'));
    const arrays = store.sqlite.prepare(latestStatisticsSql('sqlite')).raw(true);
    return [async () => objects.all(bound), async () => arrays.all(bound)];
  }
  const text = latestStatisticsSql('postgres');
  return [
    () => store.pool!.query(text, [bound]),
    () => store.pool!.query({ text, values: [bound], rowMode: 'array' }),
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'lendstats-bench-dashboard-'));
  const store = await prepare(args, work);
  const app = createApp(store, { clock: () => END, webRoot: null });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  // Longer than a round of requests: a connection closed under fetch's reuse resets it.
  (server as import('node:http').Server).keepAliveTimeout = 60_000;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  // Moments spread over the whole range, from the last snapshot (every position entered) back,
  // off the grid (hh:30).
  const moments = Array.from({ length: 8 }, (_, i) => {
    const back = Math.floor((i * (args.days - 2) * 24) / 7) * HOUR;
    return END - back - HOUR / 2;
  });
  console.log(
    '\n| T | positions | computed | SELECT ms | SELECT (arrays) ms | endpoint ms | over HTTP ms | ' +
      'endpoint / SELECT | endpoint / SELECT (arrays) | HTTP / SELECT |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const ratios: number[][] = [[], [], []];
  for (const at of moments) {
    const path = `/api/positions?at=${encodeURIComponent(formatTime(at))}`;
    const body = (await (await app.request(path)).json()) as {
      positions: { statistic: { computed: boolean } | null }[];
    };
    const computed = body.positions.filter((p) => p.statistic?.computed !== false).length;

    const [select, arrays, endpoint, http] = await timeTogether(args.rounds, [
      ...bareSelects(store, at),
      async () => (await app.request(path)).text(),
      async () => (await fetch(`http://127.0.0.1:${port}${path}`)).text(),
    ]);
    const row = [endpoint! / select!, endpoint! / arrays!, http! / select!];
    row.forEach((ratio, i) => ratios[i]!.push(ratio));
    console.log(
      `| ${formatTime(at)} | ${body.positions.length} | ${computed} | ${select!.toFixed(2)} | ` +
        `${arrays!.toFixed(2)} | ${endpoint!.toFixed(2)} | ${http!.toFixed(2)} | ` +
        `${row.map((ratio) => ratio.toFixed(2)).join(' | ')} |`,
    );
  }
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `\npositions-at-T endpoint / bare SELECT (median over moments, ${store.dialect}; target <= 3): ` +
      `${median(ratios[0]!).toFixed(2)} in-process; ${median(ratios[1]!).toFixed(2)} against ` +
      `the SELECT returning arrays; ${median(ratios[2]!).toFixed(2)} over HTTP`,
  );

  server.close();
  await store.close();
  if (!args.keep) rmSync(work, { recursive: true, force: true });
}

await main();
