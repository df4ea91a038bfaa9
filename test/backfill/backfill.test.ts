import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DAY, HOUR, formatTime, parseTime } from '../../src/domain/time.js';
import { openStore } from '../../src/store/connection.js';
import { SAMPLE } from '../helpers/cli.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';
import { calculationStamps, statisticRows } from '../helpers/stat-rows.js';

const NOW = '2026-06-30 00:00:00';
const LOGS = join(tmpdir(), 'lendstats-test-logs');

type Row = Record<string, string>;
const csv = (table: string): Row[] =>
  parse(readFileSync(join(SAMPLE, `${table}.csv`)), { columns: true }) as Row[];

/** The plan of SPEC-backfill.md by brute force: every whole hour tested against its age. */
function expectedPlan(sampling: 'adaptive' | 'snapshots'): Map<string, string[]> {
  const now = parseTime(NOW);
  const snapshots = [...new Set(csv('rates_snapshot').map((r) => parseTime(r['timestamp']!)))];
  const newest = Math.max(...snapshots);
  const stored = csv('position_statistics');
  const plans = new Map<string, string[]>();
  for (const p of csv('positions')) {
    const entry = parseTime(p['entry_timestamp']!);
    const close = p['close_timestamp'] ? parseTime(p['close_timestamp']) : null;
    const end = Math.min(now, newest, close ?? Infinity);
    const times = new Set<number>([entry]);
    if (close !== null && close <= end) times.add(close);
    for (const r of csv('position_rebalances')) {
      const closing = parseTime(r['closing_timestamp']!);
      if (r['position_id'] === p['position_id'] && closing <= end) times.add(closing);
    }
    if (sampling === 'snapshots') {
      for (const s of snapshots) if (s > entry && s <= end) times.add(s);
    } else {
      for (let s = Math.ceil((entry + 1) / HOUR) * HOUR; s <= end; s += HOUR) {
        const age = now - s;
        const spacing = age >= 30 * DAY ? 12 * HOUR : age >= 7 * DAY ? 4 * HOUR : HOUR;
        if (s % spacing === 0) times.add(s);
      }
    }
    const existing = new Set(
      stored
        .filter((r) => r['position_id'] === p['position_id'])
        .map((r) => parseTime(r['timestamp']!)),
    );
    const planned = [...times].filter((s) => s <= end && !existing.has(s)).sort((a, b) => a - b);
    plans.set(p['position_id']!, planned.map(formatTime));
  }
  return plans;
}

/** Runs the CLI in-process and captures its output. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lendstats', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTty: false,
  });
  return { code, stdout, stderr };
}

describe.each(DIALECTS)('backfill on $name', (dialect) => {
  const targets = useDialect(dialect);

  async function sampleDatabase(): Promise<string> {
    const db = await targets.fresh();
    expect((await cli(['--db', db, 'import', SAMPLE])).code).toBe(0);
    return db;
  }

  for (const sampling of ['adaptive', 'snapshots'] as const) {
    it(`plans exactly the spec's timestamps (${sampling}), then writes them and verifies`, async () => {
      const db = await sampleDatabase();
      const dry = await cli([
        '--db',
        db,
        'backfill',
        '--dry-run',
        '--json',
        '--now',
        NOW,
        '--sampling',
        sampling,
      ]);
      expect(dry.code).toBe(0);
      const plan = JSON.parse(dry.stdout) as {
        positions: { position_id: string; timestamps: string[] }[];
        planned: number;
      };
      const expected = expectedPlan(sampling);
      for (const p of plan.positions)
        expect(p.timestamps, p.position_id).toEqual(expected.get(p.position_id));
      const total = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
      expect(plan.planned).toBe(total);

      const run = await cli([
        '--db',
        db,
        'backfill',
        '--json',
        '--now',
        NOW,
        '--sampling',
        sampling,
        '--log-dir',
        LOGS,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as {
        planned: number;
        saved: number;
        failed: number;
        verification: { passed: boolean };
      };
      expect(report).toMatchObject({ planned: total, saved: total, failed: 0 });
      expect(report.verification.passed).toBe(true);
    });
  }

  it('a second run with the same --now plans nothing and writes nothing', async () => {
    const db = await sampleDatabase();
    expect((await cli(['--db', db, 'backfill', '--now', NOW, '--log-dir', LOGS])).code).toBe(0);
    const before = await calculationStamps(db);
    const again = await cli(['--db', db, 'backfill', '--json', '--now', NOW, '--log-dir', LOGS]);
    expect(JSON.parse(again.stdout)).toMatchObject({ planned: 0, saved: 0, failed: 0 });
    expect(await calculationStamps(db)).toEqual(before);
  });

  it('gap filling plans only the deleted rows; --force recomputes to identical values', async () => {
    const db = await sampleDatabase();
    await cli(['--db', db, 'backfill', '--now', NOW, '--log-dir', LOGS]);
    const complete = await statisticRows(db);
    const store = await openStore(db);
    const victim = 'd81b17cd-e459-4bef-b6f9-254bba5e50b4';
    const deleted = await store.db
      .deleteFrom('position_statistics')
      .where('position_id', '=', victim)
      .where('timestamp', '>=', '2026-06-29 00:00:00')
      .executeTakeFirst();
    await store.close();
    expect(Number(deleted.numDeletedRows)).toBe(25);

    const refill = await cli(['--db', db, 'backfill', '--json', '--now', NOW, '--log-dir', LOGS]);
    expect(JSON.parse(refill.stdout)).toMatchObject({ planned: 25, saved: 25 });
    expect(await statisticRows(db)).toEqual(complete);

    const forced = await cli([
      '--db',
      db,
      'backfill',
      '--json',
      '--force',
      '--position',
      'd81b',
      '--now',
      NOW,
      '--log-dir',
      LOGS,
    ]);
    const stored = complete.filter((row) => row.includes(victim)).length;
    expect(JSON.parse(forced.stdout)).toMatchObject({ planned: stored, saved: stored });
  });

  it('an ambiguous prefix is an error listing the candidates', async () => {
    const db = await sampleDatabase();
    const result = await cli(['--db', db, 'backfill', '--dry-run', '--position', 'a']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('aac62bc5-97f5-42f2-87c0-7e6e2d4b5269');
    expect(result.stderr).toContain('a9cacbc9-b00e-4850-a2a0-4ebcd8813d9c');
    expect((await cli(['--db', db, 'backfill', '--dry-run', '--position', 'zz'])).code).toBe(2);
  });
});
