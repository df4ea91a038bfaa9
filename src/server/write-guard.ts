/**
 * Write endpoints: refused unless the server runs with --allow-write; then open to localhost, and
 * to other hosts only with the configured token. Loopback means the socket's address and the
 * Host (and Origin, when sent) all name this machine, so that neither a page on another site
 * (CSRF) nor a rebound DNS name can borrow a local browser.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './http-error.js';

export interface WriteAccess {
  allowWrite: boolean;
  /** Token that other hosts must send as `Authorization: Bearer <token>`; null: none accepted. */
  token: string | null;
  /** The client's IP address, or null when unknown (treated as remote). */
  clientAddress: (c: Context) => string | null;
}

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function writeGuard(access: WriteAccess): MiddlewareHandler {
  return async function guardWrite(c, next) {
    if (!access.allowWrite) {
      throw new ApiError(
        403,
        'READ_ONLY',
        'the server is read-only; restart it with `lendstats serve --allow-write` to save ' +
          'statistics or run backfills',
      );
    }
    if (hasToken(c, access.token) || isLocal(c, access)) {
      await next();
      return;
    }
    throw access.token === null
      ? new ApiError(
          403,
          'FORBIDDEN',
          'writes are accepted from localhost only; start the server with --token (or ' +
            'LENDSTATS_TOKEN) to allow other hosts',
        )
      : new ApiError(
          403,
          'TOKEN_REQUIRED',
          'writes from other hosts need the token: send `Authorization: Bearer <token>`',
        );
  };
}

function isLocal(c: Context, access: WriteAccess): boolean {
  const address = access.clientAddress(c);
  if (address === null || !LOOPBACK_ADDRESS.test(address)) return false;
  if (!LOOPBACK_NAMES.has(hostnameOf(c.req.header('host')))) return false;
  const origin = c.req.header('origin');
  return origin === undefined || LOOPBACK_NAMES.has(originHostname(origin));
}

function hasToken(c: Context, token: string | null): boolean {
  if (token === null) return false;
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match === null) return false;
  const sent = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/** `127.0.0.1:8080` -> `127.0.0.1`, `[::1]:8080` -> `[::1]`. */
function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  const text = host.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  return text.split(':')[0]!;
}

function originHostname(origin: string): string {
  try {
    const { hostname } = new URL(origin);
    return hostname.toLowerCase();
  } catch {
    return '';
  }
}
