#!/usr/bin/env node
// `npm run demo`: builds data/lending_rates.db from sample/ (replacing an earlier demo database),
// then backfills it with --now at the sample's newest snapshot and verifies the result.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = fileURLToPath(new URL('..', import.meta.url));
const db = 'data/lending_rates.db';

function lendstats(...args) {
  console.log(`\n$ lendstats ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [`${root}bin/lendstats.js`, '--db', db, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

for (const suffix of ['', '-wal', '-shm', '-journal'])
  rmSync(`${root}${db}${suffix}`, { force: true });
lendstats('import', 'sample');

const sqlite = new Database(`${root}${db}`, { readonly: true });
const { newest } = sqlite.prepare('SELECT MAX(timestamp) AS newest FROM rates_snapshot').get();
sqlite.close();
lendstats('backfill', '--now', newest);
