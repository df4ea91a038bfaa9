/** `lendstats verify`: coverage of every position at every snapshot time, a recomputed sample, orphans. */
import type { Command } from 'commander';
import { discover, legMarkets, loadSeries } from '../../backfill/discovery.js';
import { checkCoverage, recomputeSample } from '../../backfill/verify.js';
import { loadStatisticKeys } from '../../store/queries.js';
import type { Sampling } from '../../domain/plan.js';
import { formatTime, HOUR } from '../../domain/time.js';
import { integerArgument, numberArgument, samplingArgument, timeArgument } from '../args.js';
import type { CliContext } from '../context.js';

interface VerifyFlags {
  now?: number;
  sampling: Sampling;
  sample: number;
  json?: boolean;
  strict?: boolean;
  maxRateAge: number;
  seed?: number;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('check that the dashboard finds a recent enough statistic at every snapshot time')
    .option('--now <time>', 'the moment treated as now (default: wall clock)', timeArgument)
    .option('--sampling <mode>', 'adaptive | snapshots', samplingArgument, 'adaptive')
    .option('--sample <n>', 'stored rows to recompute', integerArgument(0), 50)
    .option('--json', 'print one JSON document on stdout')
    .option('--strict', 'also exit 1 when a recomputed row differs')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--seed <n>', 'seed of the sample (default: random)', integerArgument(0))
    .action(async function verifyAction(flags: VerifyFlags) {
      await verify(ctx, flags);
    });
}

async function verify(ctx: CliContext, flags: VerifyFlags): Promise<void> {
  const now = flags.now ?? Math.floor(Date.now() / 1000);
  const store = await ctx.openStore();
  try {
    const discovery = await discover(store, []);
    const stored = discovery.existing;
    const checked = checkCoverage(discovery, stored, now, flags.sampling);
    const { coverage } = checked;
    // Rows of positions that do not exist (any more) are orphans too.
    const known = new Set([...discovery.positions, ...discovery.invalid].map((p) => p.positionId));
    const everyKey = await loadStatisticKeys(store);
    let unknownRows = 0;
    for (const [id, list] of everyKey) if (!known.has(id)) unknownRows += list.length;
    const orphans = checked.orphans + unknownRows;
    const series = await loadSeries(store, legMarkets(discovery.positions));
    const recomputed = await recomputeSample(store, discovery, stored, series, {
      size: flags.sample,
      seed: flags.seed ?? Math.floor(Math.random() * 2 ** 31),
      maxRateAgeSeconds: flags.maxRateAge * HOUR,
    });
    const complete = coverage.missing.length === 0;
    const passed = complete && (!flags.strict || recomputed.differing.length === 0);

    if (flags.json) {
      const doc = {
        coverage: {
          checked: coverage.checked,
          covered: coverage.covered,
          missing: coverage.missing.map((m) => ({
            position_id: m.positionId,
            timestamp: formatTime(m.timestamp),
            latest: m.latest === null ? null : formatTime(m.latest),
          })),
        },
        recomputed: {
          sampled: recomputed.sampled,
          equal: recomputed.equal,
          differing: recomputed.differing.map((d) => ({
            position_id: d.positionId,
            timestamp: formatTime(d.timestamp),
            column: d.column,
            stored: d.stored,
            computed: d.computed,
          })),
        },
        orphans,
        passed,
      };
      ctx.stdout(`${JSON.stringify(doc)}\n`);
    } else {
      const percent = coverage.checked === 0 ? 100 : (coverage.covered / coverage.checked) * 100;
      const lines = [
        `coverage: ${coverage.covered}/${coverage.checked} snapshot times covered (${percent.toFixed(2)}%)`,
        ...coverage.missing
          .slice(0, 20)
          .map(
            (m) =>
              `  not covered: ${m.positionId} at ${formatTime(m.timestamp)} (latest ${m.latest === null ? 'none' : formatTime(m.latest)})`,
          ),
        `recomputed: ${recomputed.equal}/${recomputed.sampled} equal`,
        ...recomputed.differing
          .slice(0, 20)
          .map(
            (d) =>
              `  differs: ${d.positionId} ${formatTime(d.timestamp)} ${d.column}: stored ${d.stored}, computed ${d.computed}`,
          ),
        `orphans: ${orphans}`,
        passed ? 'verification passed' : 'verification FAILED',
      ];
      ctx.stdout(`${lines.join('\n')}\n`);
    }
    if (!passed) ctx.setExitCode(1);
  } finally {
    await store.close();
  }
}
