/** Query and body parameters, validated with zod; a bad value is a 400 that names the parameter. */
import { z } from 'zod';
import type { Sampling } from '../domain/plan.js';
import { parseTime, TimeFormatError } from '../domain/time.js';
import { ApiError } from './http-error.js';

/** TIME as the CLI takes it: `YYYY-MM-DD HH:MM:SS` (UTC), ISO 8601 with Z or an offset, Unix seconds. */
export const timeParam = z.string().transform((value, ctx) => {
  try {
    return parseTime(value);
  } catch (error) {
    if (!(error instanceof TimeFormatError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

export const timeZoneParam = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone; use an IANA name such as Europe/Paris, or UTC' },
);

export const atQuery = z.object({ at: timeParam.optional() });

export const snapshotsQuery = z.object({ tz: timeZoneParam.default('UTC') });

export const saveBody = z.object({ at: timeParam }).strict();

const nullableTime = timeParam.nullable().default(null);

/** The CLI's backfill options, as JSON (`max_rate_age_hours` is `--max-rate-age`). */
export const backfillBody = z
  .object({
    positions: z.array(z.string().trim().min(1)).max(10_000).default([]),
    start: nullableTime,
    end: nullableTime,
    now: nullableTime,
    sampling: z
      .enum(['adaptive', 'snapshots'] as const satisfies readonly Sampling[])
      .default('adaptive'),
    force: z.boolean().default(false),
    max_rate_age_hours: z
      .number()
      .positive()
      .max(24 * 3650)
      .default(24),
    verify_sample: z.number().int().min(0).max(100_000).default(50),
  })
  .strict();

export type BackfillBody = z.output<typeof backfillBody>;

/** Parses or throws a 400 naming the first problem. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiError(400, 'BAD_ARGUMENT', `${where}${issue.message}`);
}
