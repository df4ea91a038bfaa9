/** The backfill's JSON documents and human summaries (SPEC-backfill.md "Command line"). */
import type { BackfillReport, VerificationReport } from '../backfill/types.js';
import type { DryRunReport } from '../backfill/run.js';
import { formatTime } from '../domain/time.js';

const time = (t: number | null): string | null => (t === null ? null : formatTime(t));

export function dryRunJson(report: DryRunReport): unknown {
  return {
    now: formatTime(report.now),
    positions: report.positions.map((p) => ({
      position_id: p.positionId,
      status: p.status,
      timestamps: p.timestamps.map(formatTime),
      existing: p.existing,
    })),
    planned: report.planned,
  };
}

export function verificationJson(v: VerificationReport): unknown {
  return {
    rows_missing: v.missingRows.map((m) => ({
      position_id: m.positionId,
      timestamp: formatTime(m.timestamp),
      problem: m.problem,
    })),
    coverage: {
      checked: v.coverage.checked,
      covered: v.coverage.covered,
      skipped_positions: v.coverage.skipped,
      missing: v.coverage.missing.map((m) => ({
        position_id: m.positionId,
        timestamp: formatTime(m.timestamp),
        latest: time(m.latest),
      })),
    },
    recomputed: {
      sampled: v.recomputed.sampled,
      equal: v.recomputed.equal,
      differing: v.recomputed.differing.map((d) => ({
        position_id: d.positionId,
        timestamp: formatTime(d.timestamp),
        column: d.column,
        stored: d.stored,
        computed: d.computed,
      })),
    },
    orphans: v.orphans,
    passed: v.passed,
  };
}

export function runJson(report: BackfillReport, logFile: string | null): unknown {
  return {
    now: formatTime(report.now),
    planned: report.planned,
    saved: report.saved,
    failed: report.failed,
    stale_rates: report.staleRates,
    failures: report.failures.map((f) => ({
      position_id: f.positionId,
      timestamp: time(f.timestamp),
      reason: f.reason,
    })),
    verification: report.verification === null ? null : verificationJson(report.verification),
    log_file: logFile,
    seconds: Math.round(report.seconds * 1000) / 1000,
  };
}

export function dryRunText(report: DryRunReport): string {
  const lines = [`Dry run at now = ${formatTime(report.now)}: nothing is written.`, ''];
  const width = Math.max(11, ...report.positions.map((p) => p.positionId.length));
  lines.push(
    `${'position'.padEnd(width)}  ${'status'.padEnd(10)}  planned  existing  first                last`,
  );
  for (const p of report.positions) {
    const first = p.timestamps[0];
    const last = p.timestamps[p.timestamps.length - 1];
    lines.push(
      `${p.positionId.padEnd(width)}  ${p.status.padEnd(10)}  ${String(p.timestamps.length).padStart(7)}  ${String(p.existing).padStart(8)}  ${first === undefined ? '-'.padEnd(19) : formatTime(first)}  ${last === undefined ? '-' : formatTime(last)}`,
    );
  }
  lines.push('', `planned: ${report.planned} statistics for ${report.positions.length} positions`);
  return lines.join('\n');
}

export function verificationText(v: VerificationReport): string[] {
  const lines = [
    `rows: ${v.missingRows.length === 0 ? 'every planned statistic is stored' : `${v.missingRows.length} planned statistics missing`}`,
    `coverage: ${v.coverage.covered}/${v.coverage.checked} snapshot times covered` +
      (v.coverage.skipped.length > 0
        ? ` (${v.coverage.skipped.length} positions not checked: failures or a limited range; run \`lendstats verify\`)`
        : ''),
    `recomputed sample: ${v.recomputed.equal}/${v.recomputed.sampled} equal` +
      (v.recomputed.differing.length > 0
        ? ` (${v.recomputed.differing.length} differing values, listed in the log and with --json)`
        : ''),
    `orphans: ${v.orphans}`,
  ];
  for (const m of v.missingRows.slice(0, 10))
    lines.push(`  missing row ${m.positionId} ${formatTime(m.timestamp)}`);
  for (const m of v.coverage.missing.slice(0, 10)) {
    lines.push(
      `  not covered ${m.positionId} at ${formatTime(m.timestamp)} (latest ${time(m.latest) ?? 'none'})`,
    );
  }
  lines.push(v.passed ? 'verification passed' : 'verification FAILED');
  return lines;
}

export function runText(report: BackfillReport, logFile: string | null): string {
  const lines = [
    `now: ${formatTime(report.now)}`,
    `planned: ${report.planned}  saved: ${report.saved}  failed: ${report.failed}  stale rates: ${report.staleRates}`,
    `time: ${report.seconds.toFixed(2)} s${report.seconds > 0 ? ` (${Math.round(report.saved / report.seconds)} statistics/s)` : ''}`,
  ];
  if (report.failures.length > 0) {
    lines.push(
      `failures (first ${Math.min(10, report.failures.length)} of ${report.failures.length}):`,
    );
    for (const f of report.failures.slice(0, 10)) {
      lines.push(`  ${f.positionId} ${time(f.timestamp) ?? '-'}: ${f.reason}`);
    }
  }
  if (logFile !== null) lines.push(`log: ${logFile}`);
  if (report.verification !== null) lines.push(...verificationText(report.verification));
  return lines.join('\n');
}
