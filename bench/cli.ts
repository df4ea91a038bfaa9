/** Runs the lendstats CLI as a child process (bench/child.mjs) and reads back its peak RSS. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CliRun {
  stdout: string;
  rssKb: number;
  seconds: number;
}

export function runLendstats(args: string[]): CliRun {
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
