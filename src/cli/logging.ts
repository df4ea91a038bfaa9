/** A run's log file: `logs/<command>_YYYYMMDD_HHMMSS.log` (UTC), one JSON line per event (pino). */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';

export const DEFAULT_LOG_DIR = 'logs';

export interface RunLog {
  logger: Logger;
  /** Absolute path of the file. */
  path: string;
  /** Flushes and closes the file. */
  close(): void;
}

export interface RunLogOptions {
  /** Folder of the log files (created if missing); default `logs`. */
  dir?: string;
  /** The moment in the file name; default the wall clock. */
  at?: Date;
}

export function openRunLog(command: string, opts: RunLogOptions = {}): RunLog {
  const dir = resolve(opts.dir ?? DEFAULT_LOG_DIR);
  mkdirSync(dir, { recursive: true });
  const path = freePath(dir, `${command}_${fileStamp(opts.at ?? new Date())}`);

  // Synchronous writes: a run killed mid-way still leaves every line it logged.
  const destination = pino.destination({ dest: path, sync: true });
  const logger = pino({ base: { command }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  return {
    logger,
    path,
    close() {
      destination.flushSync();
      destination.end();
    },
  };
}

/** `YYYYMMDD_HHMMSS` in UTC. */
export function fileStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** Two runs in the same second get `_2`, `_3`, … rather than sharing a file. */
function freePath(dir: string, stem: string): string {
  let path = join(dir, `${stem}.log`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}_${n}.log`);
  return path;
}
