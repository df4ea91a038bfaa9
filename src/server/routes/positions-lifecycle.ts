/**
 * Writes of the positions lifecycle (docs/PIPELINE.md): open, rebalance, close. Guarded like every
 * write (--allow-write, then localhost or the token); each is one transaction.
 */
import { Hono } from 'hono';
import { z } from 'zod';

import { closePosition, rebalancePosition } from '../../pipeline/position-segment.js';
import {
  openPosition,
  type LifecycleOptions,
  type LifecycleResult,
  type Sizing,
} from '../../pipeline/positions.js';
import { readJson, type ServerContext } from '../context.js';
import { ApiError } from '../http-error.js';
import { parseParams, timeParam } from '../params.js';

const weights = z
  .object({
    l_a: z.number().min(0),
    b_a: z.number().min(0),
    l_b: z.number().min(0),
    b_b: z.number().min(0),
  })
  .strict();

const sizing = {
  weights: weights.optional(),
  liquidation_distance: z.number().min(0).lt(1).optional(),
};

const note = z.string().max(10_000).nullable().default(null);

const openBody = z
  .object({
    position_id: z.string().trim().min(1).max(200).optional(),
    at: timeParam.optional(),
    protocol_a: z.string().trim().min(1),
    protocol_b: z.string().trim().min(1),
    token1_contract: z.string().trim().min(1),
    token2_contract: z.string().trim().min(1),
    token3_contract: z.string().trim().min(1),
    deployment_usd: z.number().positive(),
    ...sizing,
    is_paper_trade: z.boolean().default(false),
    notes: note,
    wallet_address: note,
    transaction_hash: note,
  })
  .strict();

const rebalanceBody = z
  .object({
    at: timeParam.optional(),
    deployment_usd: z.number().positive().optional(),
    ...sizing,
    reason: note,
    notes: note,
  })
  .strict();

const closeBody = z
  .object({
    at: timeParam.optional(),
    status: z.enum(['closed', 'liquidated']).default('closed'),
    reason: z.string().trim().min(1).max(200).default('manual_close'),
    notes: note,
    transaction_hash: note,
  })
  .strict();

export function lifecycleRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const options = (): LifecycleOptions => ({
    clock: ctx.clock,
    maxRateAgeSeconds: ctx.maxRateAgeSeconds,
  });
  const written = (result: LifecycleResult) => {
    // This connection's own commits do not move SQLite's data_version: forget the cache here.
    ctx.reference.invalidate();
    return {
      position_id: result.positionId,
      position: result.position,
      segment: result.segment,
      statistics: result.statistics,
    };
  };

  app.post('/positions', ctx.guard, async (c) => {
    const body = parseParams(openBody, await readJson(c));
    const result = await openPosition(
      ctx.store,
      {
        ...(body.position_id === undefined ? {} : { positionId: body.position_id }),
        at: body.at ?? ctx.clock(),
        protocolA: body.protocol_a,
        protocolB: body.protocol_b,
        token1Contract: body.token1_contract,
        token2Contract: body.token2_contract,
        token3Contract: body.token3_contract,
        deploymentUsd: body.deployment_usd,
        sizing: requiredSizing(body),
        isPaperTrade: body.is_paper_trade,
        notes: body.notes,
        walletAddress: body.wallet_address,
        transactionHash: body.transaction_hash,
      },
      options(),
    );
    return c.json(written(result), 201);
  });

  app.post('/positions/:id/rebalance', ctx.guard, async (c) => {
    const body = parseParams(rebalanceBody, await readJson(c));
    const chosen = optionalSizing(body);
    const result = await rebalancePosition(
      ctx.store,
      {
        position: c.req.param('id'),
        at: body.at ?? ctx.clock(),
        reason: body.reason,
        notes: body.notes,
        ...(chosen === undefined ? {} : { sizing: chosen }),
        ...(body.deployment_usd === undefined ? {} : { deploymentUsd: body.deployment_usd }),
      },
      options(),
    );
    return c.json(written(result));
  });

  app.post('/positions/:id/close', ctx.guard, async (c) => {
    const body = parseParams(closeBody, await readJson(c));
    const result = await closePosition(
      ctx.store,
      {
        position: c.req.param('id'),
        at: body.at ?? ctx.clock(),
        status: body.status,
        reason: body.reason,
        notes: body.notes,
        transactionHash: body.transaction_hash,
      },
      options(),
    );
    return c.json(written(result));
  });

  return app;
}

interface SizingBody {
  weights?: z.output<typeof weights> | undefined;
  liquidation_distance?: number | undefined;
}

function requiredSizing(body: SizingBody): Sizing {
  const chosen = optionalSizing(body);
  if (chosen === undefined) {
    throw new ApiError(400, 'BAD_ARGUMENT', 'give weights or liquidation_distance');
  }
  return chosen;
}

function optionalSizing(body: SizingBody): Sizing | undefined {
  if (body.weights !== undefined && body.liquidation_distance !== undefined) {
    throw new ApiError(
      400,
      'BAD_ARGUMENT',
      'give either weights or liquidation_distance, not both',
    );
  }
  if (body.weights !== undefined) {
    const w = body.weights;
    return { weights: { lA: w.l_a, bA: w.b_a, lB: w.l_b, bB: w.b_b } };
  }
  if (body.liquidation_distance !== undefined) {
    return { liquidationDistance: body.liquidation_distance };
  }
  return undefined;
}
