import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileStamp, openRunLog } from '../../src/cli/logging.js';
import { createProgress, formatDuration } from '../../src/cli/progress.js';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('plain progress lines (no terminal)', () => {
  it('prints one line per interval with rate and ETA, then a closing line', () => {
    let now = 0;
    const out = collector();
    const progress = createProgress({
      stream: out.stream,
      tty: false,
      intervalSeconds: 5,
      now: () => now,
    });

    progress.start(100, 'execution');
    now = 2000;
    progress.increment(10); // before the first interval: silent
    now = 5000;
    progress.increment(15);
    now = 9000;
    progress.increment(5); // 4 s after the last line: silent
    now = 10_000;
    progress.increment(20);
    now = 12_500;
    progress.stop();

    expect(out.text()).toBe(
      'execution: 25/100 (25%), 5.0/s, ETA 15s\n' +
        'execution: 50/100 (50%), 5.0/s, ETA 10s\n' +
        'execution: 50/100 done in 13s\n',
    );
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([formatDuration(59.4), formatDuration(61), formatDuration(3 * 3600 + 125)]).toEqual([
      '59s',
      '1m01s',
      '3h02m',
    ]);
  });
});

describe('run log file', () => {
  it('is named <command>_YYYYMMDD_HHMMSS.log in UTC and never shared by two runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendstats-logs-'));
    const at = new Date(Date.UTC(2026, 1, 5, 12, 0, 7));
    expect(fileStamp(at)).toBe('20260205_120007');

    const first = openRunLog('backfill', { dir, at });
    const second = openRunLog('backfill', { dir, at });
    first.logger.info({ position_id: 'p-1' }, 'position done');
    first.close();
    second.close();

    expect([basename(first.path), basename(second.path)]).toEqual([
      'backfill_20260205_120007.log',
      'backfill_20260205_120007_2.log',
    ]);
    const line = JSON.parse(readFileSync(first.path, 'utf8').trim()) as Record<string, unknown>;
    expect([line['command'], line['position_id'], line['msg']]).toEqual([
      'backfill',
      'p-1',
      'position done',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
