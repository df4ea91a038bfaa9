/** `lendstats stats --position ID --at TIME`: one statistic, computed and printed, nothing written. */
import type { Command } from 'commander';
import { legMarkets, loadSeries } from '../../backfill/discovery.js';
import { selectPositions } from '../../backfill/select.js';
import { StatisticError } from '../../domain/errors.js';
import { PositionCalculator } from '../../domain/statistic.js';
import { formatTime, HOUR } from '../../domain/time.js';
import { statisticColumns } from '../../domain/types.js';
import { loadPositions, loadRebalances } from '../../store/queries.js';
import { numberArgument, timeArgument } from '../args.js';
import type { CliContext } from '../context.js';

interface StatsFlags {
  position: string;
  at: number;
  json?: boolean;
  maxRateAge: number;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('compute one statistic at a moment and print it (writes nothing)')
    .requiredOption('--position <id-or-prefix>', 'the position (full id or unique prefix)')
    .requiredOption('--at <time>', 'the moment T', timeArgument)
    .option('--json', 'print a JSON object keyed by position_statistics column names')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .action(async function statsAction(flags: StatsFlags) {
      await stats(ctx, flags);
    });
}

async function stats(ctx: CliContext, flags: StatsFlags): Promise<void> {
  const store = await ctx.openStore();
  try {
    const { positions, invalid } = await loadPositions(store);
    const known = [...positions.map((p) => p.positionId), ...invalid.map((p) => p.positionId)];
    const [id] = [...selectPositions(known, [flags.position])] as [string];
    const position = positions.find((p) => p.positionId === id);
    const at = formatTime(flags.at);

    const fail = (reason: string): void => {
      ctx.stderr(`${reason}\n`);
      if (flags.json)
        ctx.stdout(`${JSON.stringify({ position_id: id, timestamp: at, error: reason })}\n`);
      ctx.setExitCode(1);
    };
    if (position === undefined) {
      fail(
        `invalid position data for ${id}: ${invalid.find((p) => p.positionId === id)?.reason ?? ''}`,
      );
      return;
    }

    // Rates after T are never read: the statistic at T depends only on data at or before T.
    const series = await loadSeries(store, legMarkets([position]), flags.at);
    const rebalances = (await loadRebalances(store, [id])).get(id) ?? [];
    const calculator = new PositionCalculator(
      position,
      rebalances,
      (key) => series.get(key),
      flags.maxRateAge * HOUR,
    );
    let result;
    try {
      result = calculator.at(flags.at);
    } catch (error) {
      if (!(error instanceof StatisticError)) throw error;
      fail(error.message);
      return;
    }

    const row = {
      position_id: id,
      timestamp: at,
      ...statisticColumns(result.statistic),
      calculation_timestamp: formatTime(Math.floor(Date.now() / 1000)),
    };
    if (flags.json) {
      ctx.stdout(`${JSON.stringify(row)}\n`);
      return;
    }
    const width = Math.max(...Object.keys(row).map((key) => key.length));
    const lines = Object.entries(row).map(
      ([key, value]) => `${key.padEnd(width)}  ${value === null ? 'NULL' : String(value)}`,
    );
    if (result.stale)
      lines.push('(current_apr is NULL: a leg has no rate row within the staleness limit)');
    ctx.stdout(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
}
