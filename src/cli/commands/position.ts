/** `lendstats position open | rebalance | close`: record a position's life as it happens. */
import { InvalidArgumentError, type Command } from 'commander';

import { LendstatsError } from '../../domain/errors.js';
import { HOUR } from '../../domain/time.js';
import type { Weights } from '../../domain/types.js';
import { closePosition, rebalancePosition } from '../../pipeline/position-segment.js';
import {
  openPosition,
  type LifecycleOptions,
  type LifecycleResult,
  type Sizing,
} from '../../pipeline/positions.js';
import { numberArgument, timeArgument } from '../args.js';
import type { CliContext } from '../context.js';

interface SizingFlags {
  weights?: Weights;
  liquidationDistance?: number;
}

interface CommonFlags {
  at?: number;
  notes?: string;
  json?: boolean;
  maxRateAge: number;
}

interface OpenFlags extends SizingFlags, CommonFlags {
  protocolA: string;
  protocolB: string;
  token1: string;
  token2: string;
  token3: string;
  deployment: number;
  id?: string;
  paper?: boolean;
  wallet?: string;
  tx?: string;
}

interface RebalanceFlags extends SizingFlags, CommonFlags {
  deployment?: number;
  reason?: string;
}

interface CloseFlags extends CommonFlags {
  reason?: string;
  liquidated?: boolean;
  tx?: string;
}

const WEIGHTS_HELP = 'L_A,B_A,L_B,B_B as multiples of the deployment, e.g. 1.5,0.9,0.9,0.5';
const DISTANCE_HELP =
  "derive the weights from the legs' liquidation thresholds: r = threshold * (1 - d) per " +
  'side, L_A = 1 / (1 - r_A r_B), B_A = r_A L_A, L_B = B_A, B_B = r_B L_B';

export function register(program: Command, ctx: CliContext): void {
  const position = program
    .command('position')
    .description('open, rebalance or close a position (one transaction each)');

  position
    .command('open')
    .description('record a new position with its entry state from the snapshot in force')
    .requiredOption(
      '--protocol-a <name>',
      'protocol of legs 1A (lend token1) and 2A (borrow token2)',
    )
    .requiredOption(
      '--protocol-b <name>',
      'protocol of legs 2B (lend token2) and 3B (borrow token3)',
    )
    .requiredOption('--token1 <coin-type>', 'coin type lent on A')
    .requiredOption('--token2 <coin-type>', 'coin type borrowed on A and lent on B')
    .requiredOption('--token3 <coin-type>', 'coin type borrowed on B')
    .requiredOption('--deployment <usd>', 'deployment_usd', numberArgument(0))
    .option('--weights <list>', WEIGHTS_HELP, weightsArgument)
    .option('--liquidation-distance <d>', DISTANCE_HELP, numberArgument(0, 1))
    .option('--id <position-id>', 'the position id (default: a new UUID)')
    .option('--paper', 'mark it as a paper trade')
    .option('--wallet <address>', 'wallet_address')
    .option('--tx <hash>', 'transaction_hash_open')
    .option('--at <time>', 'entry time (default: now)', timeArgument)
    .option('--notes <text>', 'notes')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--json', 'print the written rows as JSON')
    .action(async function openAction(flags: OpenFlags) {
      const result = await withStore(
        ctx,
        (store, options) =>
          openPosition(
            store,
            {
              protocolA: flags.protocolA,
              protocolB: flags.protocolB,
              token1Contract: flags.token1,
              token2Contract: flags.token2,
              token3Contract: flags.token3,
              at: atOf(flags),
              deploymentUsd: flags.deployment,
              sizing: requiredSizing(flags),
              isPaperTrade: flags.paper === true,
              notes: flags.notes ?? null,
              walletAddress: flags.wallet ?? null,
              transactionHash: flags.tx ?? null,
              ...(flags.id === undefined ? {} : { positionId: flags.id }),
            },
            options,
          ),
        flags,
      );
      print(ctx, flags, result, 'opened');
    });

  position
    .command('rebalance')
    .description('close the current segment and open the next one at the snapshot in force')
    .argument('<position>', 'full id or unique prefix')
    .option(
      '--weights <list>',
      `new weights (default: unchanged): ${WEIGHTS_HELP}`,
      weightsArgument,
    )
    .option('--liquidation-distance <d>', DISTANCE_HELP, numberArgument(0, 1))
    .option('--deployment <usd>', 'new deployment_usd (default: unchanged)', numberArgument(0))
    .option('--at <time>', 'rebalance time (default: now)', timeArgument)
    .option('--reason <text>', 'rebalance_reason')
    .option('--notes <text>', 'rebalance_notes')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--json', 'print the written rows as JSON')
    .action(async function rebalanceAction(selector: string, flags: RebalanceFlags) {
      const sizing = optionalSizing(flags);
      const result = await withStore(
        ctx,
        (store, options) =>
          rebalancePosition(
            store,
            {
              position: selector,
              at: atOf(flags),
              reason: flags.reason ?? null,
              notes: flags.notes ?? null,
              ...(sizing === undefined ? {} : { sizing }),
              ...(flags.deployment === undefined ? {} : { deploymentUsd: flags.deployment }),
            },
            options,
          ),
        flags,
      );
      print(ctx, flags, result, 'rebalanced');
    });

  position
    .command('close')
    .description('write the final segment and mark the position closed')
    .argument('<position>', 'full id or unique prefix')
    .option('--at <time>', 'close time (default: now)', timeArgument)
    .option('--reason <text>', 'close_reason (default: manual_close)')
    .option('--notes <text>', 'close_notes')
    .option('--liquidated', "set the status to 'liquidated' instead of 'closed'")
    .option('--tx <hash>', 'transaction_hash_close')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--json', 'print the written rows as JSON')
    .action(async function closeAction(selector: string, flags: CloseFlags) {
      const result = await withStore(
        ctx,
        (store, options) =>
          closePosition(
            store,
            {
              position: selector,
              at: atOf(flags),
              status: flags.liquidated ? 'liquidated' : 'closed',
              reason: flags.reason ?? null,
              notes: flags.notes ?? null,
              transactionHash: flags.tx ?? null,
            },
            options,
          ),
        flags,
      );
      print(ctx, flags, result, 'closed');
    });
}

type Store = Awaited<ReturnType<CliContext['openStore']>>;

async function withStore(
  ctx: CliContext,
  work: (store: Store, options: LifecycleOptions) => Promise<LifecycleResult>,
  flags: CommonFlags,
): Promise<LifecycleResult> {
  const store = await ctx.openStore();
  try {
    return await work(store, { maxRateAgeSeconds: flags.maxRateAge * HOUR });
  } finally {
    await store.close();
  }
}

function print(ctx: CliContext, flags: CommonFlags, result: LifecycleResult, verb: string): void {
  if (flags.json) {
    ctx.stdout(`${JSON.stringify(result)}\n`);
    return;
  }
  const p = result.position;
  const lines = [
    `${verb} ${result.positionId}`,
    `  deployment_usd ${String(p['deployment_usd'])}, weights L_A ${String(p['l_a'])}, ` +
      `B_A ${String(p['b_a'])}, L_B ${String(p['l_b'])}, B_B ${String(p['b_b'])}`,
  ];
  if (result.segment === null) {
    lines.push(
      `  entry ${String(p['entry_timestamp'])}, entry_net_apr ${String(p['entry_net_apr'])}`,
    );
  } else {
    const s = result.segment;
    lines.push(
      `  segment ${s.sequence_number}: ${String(s.opening_timestamp)} to ${String(s.closing_timestamp)}, ` +
        `realised_pnl ${String(s.realised_pnl)}, realised_fees ${String(s.realised_fees)}`,
      `  accumulated_realised_pnl ${String(p['accumulated_realised_pnl'])}`,
    );
  }
  const { rewritten, removed } = result.statistics;
  if (rewritten + removed > 0) {
    lines.push(
      `  stored statistics recomputed: ${rewritten}, removed (after the close): ${removed}`,
    );
  }
  ctx.stdout(`${lines.join('\n')}\n`);
}

function atOf(flags: CommonFlags): number {
  return flags.at ?? Math.floor(Date.now() / 1000);
}

function requiredSizing(flags: SizingFlags): Sizing {
  const sizing = optionalSizing(flags);
  if (sizing === undefined) {
    throw new LendstatsError('BAD_ARGUMENT', 'give --weights or --liquidation-distance');
  }
  return sizing;
}

function optionalSizing(flags: SizingFlags): Sizing | undefined {
  if (flags.weights !== undefined && flags.liquidationDistance !== undefined) {
    throw new LendstatsError(
      'BAD_ARGUMENT',
      'give either --weights or --liquidation-distance, not both',
    );
  }
  if (flags.weights !== undefined) return { weights: flags.weights };
  if (flags.liquidationDistance !== undefined) {
    return { liquidationDistance: flags.liquidationDistance };
  }
  return undefined;
}

function weightsArgument(value: string): Weights {
  const parts = value.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if (
    parts.length !== 4 ||
    parts.some((p) => p === '') ||
    numbers.some((n) => !Number.isFinite(n))
  ) {
    throw new InvalidArgumentError('expected four numbers L_A,B_A,L_B,B_B');
  }
  const [lA, bA, lB, bB] = numbers as [number, number, number, number];
  return { lA, bA, lB, bB };
}
