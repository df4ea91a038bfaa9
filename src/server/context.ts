/** What every route gets: the store, the cached reference data, the jobs, the clock, the guard. */
import type { Context, MiddlewareHandler } from 'hono';
import { selectPositions } from '../backfill/select.js';
import type { Position } from '../domain/types.js';
import type { Store } from '../store/connection.js';
import { newestSnapshot } from '../store/queries.js';
import type { BackfillJobs } from './backfill-jobs.js';
import { ApiError } from './http-error.js';
import type { FigureContext } from './positions-at.js';
import type { ReferenceData } from './reference-data.js';
import type { RunHistory } from './run-history.js';

export interface ServerContext {
  store: Store;
  reference: ReferenceData;
  jobs: BackfillJobs;
  history: RunHistory;
  clock: () => number;
  maxRateAgeSeconds: number;
  backfillBatchSize: number;
  allowWrite: boolean;
  tokenConfigured: boolean;
  version: string;
  /** Guards the write endpoints (see write-guard.ts). */
  guard: MiddlewareHandler;
}

export function figureContext(ctx: ServerContext): FigureContext {
  return { now: ctx.clock(), maxRateAgeSeconds: ctx.maxRateAgeSeconds };
}

/** T when the request names none: the newest snapshot, or the wall clock on an empty database. */
export async function defaultMoment(ctx: ServerContext, at: number | undefined): Promise<number> {
  if (at !== undefined) return at;
  return (await newestSnapshot(ctx.store)) ?? ctx.clock();
}

/** A position by full id or unique prefix, as the CLI's --position takes it. */
export async function findPosition(ctx: ServerContext, selector: string): Promise<Position> {
  const { positions, invalid } = await ctx.reference.loadPositions();
  const known = positions.map((p) => p.positionId);
  const unreadable = invalid.find((p) => p.positionId === selector);
  if (unreadable !== undefined) {
    throw new ApiError(422, 'INVALID_POSITION_DATA', `position ${selector}: ${unreadable.reason}`);
  }
  const [id] = selectPositions(known, [selector]);
  return positions.find((p) => p.positionId === id)!;
}

/** The JSON body of a write request; other content types are refused (no form posts). */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'BAD_ARGUMENT', 'send the body as application/json');
  }
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'BAD_ARGUMENT', 'the body is not valid JSON');
  }
}

/** `2026-06-17 09:00:00` -> `20260617_090000`, for file names. */
export function fileStamp(text: string): string {
  return text.replace(/[-:]/g, '').replace(' ', '_');
}
