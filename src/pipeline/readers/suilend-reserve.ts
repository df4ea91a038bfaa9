/**
 * The Suilend reserve as the chain stores it, and the shape conversion between the two forms
 * lendstats meets: Sui JSON-RPC's `{ type, fields }` objects with snake_case names, and the
 * Suilend SDK's reified objects with camelCase names (test/fixtures/real/suilend_sdk_reserves_*).
 */
import { z } from 'zod';

import { decimalText } from './response.js';

const decimalValue = z.object({ value: decimalText });

const poolRewardSchema = z.object({
  coinType: z.object({ name: z.string() }),
  startTimeMs: decimalText,
  endTimeMs: decimalText,
  totalRewards: decimalText,
});

const rewardManagerSchema = z.object({ poolRewards: z.array(poolRewardSchema.nullable()) });

export const reserveSchema = z.object({
  coinType: z.object({ name: z.string() }),
  config: z.object({
    element: z.object({
      openLtvPct: z.number(),
      closeLtvPct: z.number(),
      borrowWeightBps: decimalText,
      borrowFeeBps: decimalText,
      spreadFeeBps: decimalText,
      borrowLimit: decimalText,
      borrowLimitUsd: decimalText,
      interestRateUtils: z.array(z.number()),
      interestRateAprs: z.array(decimalText),
    }),
  }),
  mintDecimals: z.number(),
  price: decimalValue,
  availableAmount: decimalText,
  borrowedAmount: decimalValue,
  unclaimedSpreadFees: decimalValue,
  depositsPoolRewardManager: rewardManagerSchema,
  borrowsPoolRewardManager: rewardManagerSchema,
});

export type SuilendReserve = z.infer<typeof reserveSchema>;
export type SuilendPoolReward = z.infer<typeof poolRewardSchema>;

/** `sui_getObject` with `showContent`: the lending market's fields are under `content`. */
export const rpcObjectSchema = z.object({
  result: z.object({
    data: z.object({ content: z.object({ fields: z.record(z.string(), z.unknown()) }) }),
  }),
});

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Turns JSON-RPC Move values into the SDK's form: every `{ type, fields }` becomes its fields,
 * snake_case names become camelCase. `Option` values already arrive as the value or null.
 */
export function fromMoveJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromMoveJson);
  if (value === null || typeof value !== 'object') return value;

  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 2 && 'type' in record && 'fields' in record) {
    return fromMoveJson(record.fields);
  }
  return Object.fromEntries(keys.map((key) => [camelCase(key), fromMoveJson(record[key])]));
}

/**
 * Borrow APR from the reserve's piecewise-linear curve: `interestRateUtils` are utilization
 * points in percent, `interestRateAprs` the APR at each point in basis points.
 */
export function borrowAprAt(
  utilization: number,
  utils: number[],
  aprsBps: string[],
): number | null {
  const percent = utilization * 100;
  for (let i = 0; i + 1 < utils.length; i += 1) {
    const lowUtil = utils[i]!;
    const highUtil = utils[i + 1]!;
    if (percent < lowUtil || percent > highUtil) continue;

    const low = Number(aprsBps[i]);
    const high = Number(aprsBps[i + 1]);
    const share = highUtil === lowUtil ? 0 : (percent - lowUtil) / (highUtil - lowUtil);
    return (low + share * (high - low)) / 10_000;
  }
  return null;
}
