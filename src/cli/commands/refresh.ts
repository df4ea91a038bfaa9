/** `lendstats refresh`: one hourly snapshot of every protocol, and the statistics at that time. */
import { InvalidArgumentError, type Command } from 'commander';

import { formatTime, HOUR } from '../../domain/time.js';
import { recordedFetch, RECORDED_ALPHAFI_URL } from '../../pipeline/recorded-responses.js';
import {
  hourFloor,
  refresh,
  type RefreshOptions,
  type RefreshReport,
} from '../../pipeline/refresh.js';
import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from '../../pipeline/readers/index.js';
import { numberArgument, timeArgument } from '../args.js';
import type { CliContext } from '../context.js';

interface RefreshFlags {
  at?: number;
  protocol: ProtocolId[];
  alphafiUrl?: string;
  responses?: string;
  maxRateAge: number;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('refresh')
    .description(
      'read every protocol, save the snapshot and token registry, and save the statistics of ' +
        'the positions active at that time (safe to run again for the same time)',
    )
    .option('--at <time>', 'snapshot time (default: the current hour, UTC)', timeArgument)
    .option(
      '--protocol <name>',
      `only this protocol (repeatable): ${PROTOCOL_IDS.join(', ')}`,
      collectProtocol,
      [],
    )
    .option(
      '--alphafi-url <url>',
      "URL serving AlphaLend's getAllMarkets() array (default: $LENDSTATS_ALPHAFI_URL)",
    )
    .option(
      '--responses <dir>',
      'read recorded responses <protocol>.json from DIR, not the network',
    )
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--json', 'print one JSON document on stdout')
    .action(async function refreshAction(flags: RefreshFlags) {
      await runRefresh(ctx, flags);
    });
}

async function runRefresh(ctx: CliContext, flags: RefreshFlags): Promise<void> {
  const at = flags.at ?? hourFloor(Math.floor(Date.now() / 1000));
  const alphafiUrl = flags.alphafiUrl ?? nonEmpty(ctx.env['LENDSTATS_ALPHAFI_URL']);
  const store = await ctx.openStore({ create: true });
  let report: RefreshReport;
  try {
    report = await refresh(store, {
      at,
      maxRateAgeSeconds: flags.maxRateAge * HOUR,
      ...(flags.protocol.length > 0 ? { protocols: flags.protocol } : {}),
      ...sourceOptions(flags.responses, alphafiUrl),
    });
  } finally {
    await store.close();
  }

  for (const entry of report.missing) {
    ctx.stderr(`warning: ${PROTOCOLS[entry.protocol]} is missing: ${entry.reason}\n`);
  }
  ctx.stdout(flags.json ? `${JSON.stringify(refreshJson(report))}\n` : refreshText(report));
  if (report.protocols.length === 0) {
    ctx.stderr('error: every protocol failed; nothing was saved\n');
    ctx.setExitCode(1);
  }
}

export function refreshJson(report: RefreshReport) {
  const counts = (c: RefreshReport['rates']) => ({
    inserted: c.inserted,
    updated: c.updated,
    unchanged: c.unchanged,
  });
  return {
    at: formatTime(report.at),
    protocols: report.protocols,
    missing: report.missing,
    rates: counts(report.rates),
    registry: counts(report.registry),
    statistics: {
      positions: report.statistics.positions,
      saved: report.statistics.saved,
      stale_rates: report.statistics.staleRates,
      failures: report.statistics.failures.map((failure) => ({
        position_id: failure.positionId,
        timestamp: failure.timestamp === null ? null : formatTime(failure.timestamp),
        reason: failure.reason,
      })),
      skipped: report.statistics.skipped,
    },
  };
}

function refreshText(report: RefreshReport): string {
  const { rates, registry, statistics } = report;
  const read = report.protocols.map((p) => `${PROTOCOLS[p.protocol]} ${p.rows}`).join(', ');
  const lines = [
    `refresh at ${formatTime(report.at)}`,
    `read: ${read === '' ? 'nothing' : `${read} rows`}`,
    `missing: ${report.missing.length === 0 ? 'none' : report.missing.map((m) => PROTOCOLS[m.protocol]).join(', ')}`,
    `rates_snapshot: ${rates.inserted} inserted, ${rates.updated} updated, ${rates.unchanged} unchanged`,
    `token_registry: ${registry.inserted} inserted, ${registry.updated} updated, ${registry.unchanged} unchanged`,
    statistics.skipped === null
      ? `statistics: ${statistics.positions} active positions, ${statistics.saved} saved, ` +
        `${statistics.failures.length} failed, ${statistics.staleRates} with stale rates`
      : `statistics: none (${statistics.skipped})`,
    ...statistics.failures.map((f) => `  failed ${f.positionId}: ${f.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The network, or the recorded files of --responses (where AlphaFi needs no real URL). */
function sourceOptions(
  responses: string | undefined,
  alphafiUrl: string | undefined,
): Pick<RefreshOptions, 'alphafiUrl' | 'fetchImpl'> {
  if (responses === undefined) return alphafiUrl === undefined ? {} : { alphafiUrl };
  const url = alphafiUrl ?? RECORDED_ALPHAFI_URL;
  return { alphafiUrl: url, fetchImpl: recordedFetch(responses, url) };
}

function collectProtocol(value: string, previous: ProtocolId[]): ProtocolId[] {
  const id = value.trim().toLowerCase();
  if (!(PROTOCOL_IDS as readonly string[]).includes(id)) {
    throw new InvalidArgumentError(`expected one of ${PROTOCOL_IDS.join(', ')}`);
  }
  return [...previous, id as ProtocolId];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
