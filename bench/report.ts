/** What one case and sampling measured, and the lines and table the bench prints. */

export const NOW = '2026-02-05 12:00:00';

export interface CaseResult {
  name: string;
  sampling: string;
  statistics: number;
  seconds: number;
  rss: number;
  limitSeconds: number;
}

/** The part of `lendstats backfill --json` the bench reads. */
export interface BackfillJson {
  saved: number;
  seconds: number;
  verification: { passed: boolean };
}

/** The backfill's half of a per-sampling line; the limit's details follow it. */
export function backfillLine(sampling: string, report: BackfillJson, rssKb: number): string {
  return (
    `${sampling}: ${report.saved} statistics in ${report.seconds.toFixed(2)} s ` +
    `(${Math.round(report.saved / report.seconds)}/s), verification ${report.verification.passed ? 'passed' : 'FAILED'}, ` +
    `peak RSS ${(rssKb / 1024).toFixed(0)} MB`
  );
}

export function printTable(results: readonly CaseResult[]): void {
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
