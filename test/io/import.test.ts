import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { importFolder } from '../../src/io/import.js';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/connection.js';
import { lowerKeys } from '../../src/store/normalize.js';
import { TABLE_NAMES, type TableName } from '../../src/store/tables.js';
import { DIALECTS, useDialect } from '../helpers/dialects.js';

const SAMPLE = new URL('../../sample/', import.meta.url).pathname;
const SAMPLE_COUNTS: Record<TableName, number> = {
  token_registry: 39,
  rates_snapshot: 3396,
  reward_token_prices: 0,
  positions: 14,
  position_rebalances: 8,
  position_statistics: 47,
};

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder holding `files`, optionally on top of a copy of the sample. */
function folderWith(files: Record<string, string | Buffer>, fromSample = false): string {
  const folder = mkdtempSync(join(tmpdir(), 'lendstats-import-'));
  folders.push(folder);
  if (fromSample) cpSync(SAMPLE, folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

function sampleLines(table: string): string[] {
  return readFileSync(join(SAMPLE, `${table}.csv`), 'utf8')
    .trimEnd()
    .split('\n');
}

async function counts(target: string): Promise<Record<string, number>> {
  const store = await openStore(target);
  try {
    const result: Record<string, number> = {};
    for (const table of TABLE_NAMES) {
      const row = await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      result[table] = Number(row.n);
    }
    return result;
  } finally {
    await store.close();
  }
}

async function positionRow(target: string, id: string): Promise<Record<string, unknown>> {
  const store = await openStore(target);
  try {
    const row = await store.db
      .selectFrom('positions')
      .selectAll()
      .where('position_id', '=', id)
      .executeTakeFirstOrThrow();
    return lowerKeys(row);
  } finally {
    await store.close();
  }
}

async function inputError(attempt: Promise<unknown>): Promise<InputError> {
  const error = await attempt.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe.each(DIALECTS)('import on $name', (dialect) => {
  const targets = useDialect(dialect);

  it('loads the sample with exact counts, then changes nothing on a second import', async () => {
    const target = await targets.fresh();
    const first = await importFolder(SAMPLE, target);
    expect(first.created).toBe(dialect.name === 'sqlite');
    expect(first.skipped).toEqual(['README.md']);
    expect(first.tables.map((t) => [t.table, t.rows, t.inserted, t.updated, t.unchanged])).toEqual(
      TABLE_NAMES.map((table) => [table, SAMPLE_COUNTS[table], SAMPLE_COUNTS[table], 0, 0]),
    );
    expect(await counts(target)).toEqual(SAMPLE_COUNTS);

    const second = await importFolder(SAMPLE, target);
    expect(second.created).toBe(false);
    expect(second.tables.map((t) => [t.table, t.inserted, t.updated, t.unchanged])).toEqual(
      TABLE_NAMES.map((table) => [table, 0, 0, SAMPLE_COUNTS[table]]),
    );
    expect(await counts(target)).toEqual(SAMPLE_COUNTS);
  });

  it('rejects a bad row naming file, line and column, and writes nothing', async () => {
    const target = await targets.fresh();
    await importFolder(SAMPLE, target);
    const before = await counts(target);

    const lines = sampleLines('rates_snapshot');
    const fields = lines[4]!.split(',');
    fields[4] = 'abc'; // lend_base_apr of line 5
    lines[4] = fields.join(',');
    const positions = sampleLines('positions').map((line, i) =>
      i === 1 ? line.replace(/^[^,]+/, 'brand-new-position') : line,
    );
    const folder = folderWith({
      'rates_snapshot.csv': `${lines.join('\n')}\n`,
      'positions.csv': `${positions.join('\n')}\n`,
    });

    const error = await inputError(importFolder(folder, target));
    expect([error.file, error.line, error.column, error.detail]).toEqual([
      'rates_snapshot.csv',
      5,
      'lend_base_apr',
      "'abc' is not a number",
    ]);
    expect(error.message).toBe(
      "rates_snapshot.csv, line 5, column lend_base_apr: 'abc' is not a number",
    );
    expect(await counts(target)).toEqual(before);
  });

  it('updates only the columns a partial positions file has', async () => {
    const target = await targets.fresh();
    await importFolder(SAMPLE, target);
    const [active, other] = sampleLines('positions')
      .slice(1)
      .filter((line) => line.split(',')[1] === 'active')
      .map((line) => line.split(',')[0]!);
    const before = await positionRow(target, active!);
    const otherBefore = await positionRow(target, other!);

    const folder = folderWith({
      'positions.csv':
        'position_id,status,close_timestamp\n' +
        `${active},closed,2026-06-25T12:00:00Z\n` +
        `${other},${String(otherBefore['status'])},\n`,
    });
    const report = await importFolder(folder, target);
    expect(report.tables.map((t) => [t.table, t.inserted, t.updated, t.unchanged])).toEqual([
      ['positions', 0, 1, 1],
    ]);

    const after = await positionRow(target, active!);
    expect(after).toEqual({ ...before, status: 'closed', close_timestamp: '2026-06-25 12:00:00' });
    expect(await positionRow(target, other!)).toEqual(otherBefore);
    expect(await counts(target)).toEqual(SAMPLE_COUNTS);
  });

  it('accepts a key repeated with identical values and rejects one with different values', async () => {
    const lines = sampleLines('rates_snapshot').slice(0, 4);
    const same = folderWith({ 'rates_snapshot.csv': [...lines, lines[2]].join('\n') });
    const target = await targets.fresh();
    const report = await importFolder(same, target);
    expect(report.tables.map((t) => [t.rows, t.inserted])).toEqual([[4, 3]]);

    const changed = lines[2]!.split(',');
    changed[12] = '123.5'; // price_usd
    const clash = folderWith({ 'rates_snapshot.csv': [...lines, changed.join(',')].join('\n') });
    const error = await inputError(importFolder(clash, target));
    expect([error.line, error.column, error.detail]).toEqual([
      5,
      'price_usd',
      'repeats the key of line 3 with a different value',
    ]);
  });

  it('requires the engine columns of a new position and the unique rebalance sequence', async () => {
    const target = await targets.fresh();
    await importFolder(SAMPLE, target);

    // The rates row is new and valid, and is written before positions fail: the rollback undoes it.
    const rates = sampleLines('rates_snapshot');
    const partialNew = folderWith({
      'rates_snapshot.csv': `${rates[0]}\n${rates[1]!.replace(/^[^,]+/, '2027-01-01 00:00:00')}\n`,
      'positions.csv': 'position_id,status,close_timestamp\nunknown-position,active,\n',
    });
    const missing = await inputError(importFolder(partialNew, target));
    expect([missing.file, missing.line, missing.column, missing.detail]).toEqual([
      'positions.csv',
      2,
      'token1_contract',
      'is required for a new position',
    ]);
    expect(await counts(target)).toEqual(SAMPLE_COUNTS);

    const rebalances = sampleLines('position_rebalances');
    const copy = rebalances[1]!.split(',');
    copy[0] = 'another-rebalance-id';
    const clash = folderWith({
      'position_rebalances.csv': `${rebalances[0]}\n${copy.join(',')}\n`,
    });
    const unique = await inputError(importFolder(clash, target));
    expect([unique.line, unique.column]).toEqual([2, 'position_id, sequence_number']);
    expect(unique.detail).toBe(
      `(${copy[1]}, ${copy[2]}) is already used by a row already in the database; it must be unique`,
    );
    expect(await counts(target)).toEqual(SAMPLE_COUNTS);
  });

  it('rejects fractional seconds, unknown statuses, flags other than 0/1 and unknown columns', async () => {
    const target = await targets.fresh();
    const header = sampleLines('token_registry')[0]!;
    const row = sampleLines('token_registry')[1]!.split(',');
    const cases: [Record<string, string>, number, string, string][] = [
      [
        {
          'reward_token_prices.csv':
            'timestamp,reward_token_contract\n2026-01-01 00:00:00.5,0x2::sui::SUI\n',
        },
        2,
        'timestamp',
        "invalid time '2026-01-01 00:00:00.5': fractional seconds are not accepted",
      ],
      [
        { 'positions.csv': 'position_id,status\nx,open\n' },
        2,
        'status',
        "'open' is not one of active, closed, liquidated",
      ],
      [
        {
          'token_registry.csv': `${header}\n${[...row.slice(0, 6), '2', ...row.slice(7)].join(',')}\n`,
        },
        2,
        'seen_on_navi',
        "'2' is not 0 or 1",
      ],
      [
        { 'token_registry.csv': 'token_contract,colour\n0x2::sui::SUI,blue\n' },
        1,
        'colour',
        'is not a column of token_registry',
      ],
    ];
    for (const [files, line, column, detail] of cases) {
      const error = await inputError(importFolder(folderWith(files), target));
      expect([error.line, error.column, error.detail]).toEqual([line, column, detail]);
    }
    if (dialect.name === 'sqlite') expect(existsSync(target)).toBe(false);
  });

  it('reads gzip files, headers in any case, quoted fields and times with offsets', async () => {
    const target = await targets.fresh();
    const csv =
      'TOKEN_CONTRACT,Symbol,First_Seen,Last_Seen,PYTH_ID\n' +
      '0x2::sui::SUI,SUI,2026-01-01T05:00:00+05:00,1767225600,"multi\nline, with ""quotes"""\n';
    const report = await importFolder(
      folderWith({ 'token_registry.csv.gz': gzipSync(csv) }),
      target,
    );
    expect(report.tables.map((t) => [t.file, t.inserted])).toEqual([['token_registry.csv.gz', 1]]);

    const store = await openStore(target);
    const row = await store.db.selectFrom('token_registry').selectAll().executeTakeFirstOrThrow();
    await store.close();
    expect(lowerKeys(row)).toMatchObject({
      token_contract: '0x2::sui::SUI',
      symbol: 'SUI',
      first_seen: '2026-01-01 00:00:00',
      last_seen: '2026-01-01 00:00:00',
      pyth_id: 'multi\nline, with "quotes"',
    });
  });

  it('exits 2 from the CLI on a bad file and 0 with a table on a good one', async () => {
    const target = await targets.fresh();
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    const bad = folderWith({ 'positions.csv': 'position_id,status\nx,open\n' });

    expect(await main(['node', 'lendstats', '--db', target, 'import', bad], io)).toBe(2);
    expect(err.join('')).toBe(
      "error: positions.csv, line 2, column status: 'open' is not one of active, closed, liquidated\n",
    );
    expect(await main(['node', 'lendstats', '--db', target, 'import', SAMPLE], io)).toBe(0);
    expect(out.join('')).toMatch(
      /^imported .* in \d+\.\d s\ntable +file +rows +inserted +updated +unchanged\n/,
    );
    expect(out.join('')).toContain(
      'rates_snapshot       rates_snapshot.csv       3396      3396        0          0\n',
    );
    process.exitCode = 0;
  });
});
