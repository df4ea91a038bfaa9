/**
 * The dashboard's HTTP server: the JSON API under /api (docs/API.md) and the built web app.
 * `createApp` is all a test needs: `app.request('/api/positions?at=...')`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { DEFAULT_MAX_RATE_AGE_SECONDS } from '../domain/statistic.js';
import type { Store } from '../store/connection.js';
import { BackfillJobs, type OpenRunLog } from './backfill-jobs.js';
import type { ServerContext } from './context.js';
import { ApiError, errorBody, toApiError } from './http-error.js';
import { ReferenceData } from './reference-data.js';
import { storeRunHistory, type RunHistory } from './run-history.js';
import { backfillRoutes } from './routes/backfill.js';
import { metaRoutes } from './routes/meta.js';
import { positionRoutes } from './routes/positions.js';
import { lifecycleRoutes } from './routes/positions-lifecycle.js';
import { writeGuard } from './write-guard.js';

export interface ServerOptions {
  /** Accept the write endpoints (save a statistic, backfill); default false. */
  allowWrite?: boolean;
  /** Token that lets hosts other than localhost write. */
  token?: string | null;
  /** Wall clock in UTC seconds. */
  clock?: () => number;
  maxRateAgeSeconds?: number;
  /** Folder of the built web app; null serves the API only. Default: web/dist of this package. */
  webRoot?: string | null;
  /** Opens a run's log file (the CLI's openRunLog); null writes no log. */
  openRunLog?: OpenRunLog | null;
  logDir?: string;
  /** Rows per write transaction of a backfill (default 1000). */
  backfillBatchSize?: number;
  history?: RunHistory;
  /** The client's IP address; default: the socket's (unknown in-process, so treated as remote). */
  clientAddress?: (c: Context) => string | null;
  /** Where unexpected errors and bookkeeping problems are reported. */
  log?: { warn(message: string): void; error(error: unknown): void };
  version?: string;
}

/** Smaller batches than the CLI's: the server answers requests between two of them. */
const DEFAULT_BATCH_SIZE = 1000;

export type LendstatsApp = Hono & { jobs: BackfillJobs };

export const DEFAULT_WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export function createApp(store: Store, options: ServerOptions = {}): LendstatsApp {
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log ?? { warn: () => {}, error: () => {} };
  const history = options.history ?? storeRunHistory(store);
  const jobs = new BackfillJobs(store, {
    clock,
    openRunLog: options.openRunLog ?? null,
    logDir: options.logDir,
    version: options.version ?? '0.0.0',
    warn: (message) => log.warn(message),
  });
  const ctx: ServerContext = {
    store,
    reference: new ReferenceData(store),
    jobs,
    history,
    clock,
    maxRateAgeSeconds: options.maxRateAgeSeconds ?? DEFAULT_MAX_RATE_AGE_SECONDS,
    backfillBatchSize: options.backfillBatchSize ?? DEFAULT_BATCH_SIZE,
    allowWrite: options.allowWrite ?? false,
    tokenConfigured: (options.token ?? null) !== null,
    version: options.version ?? '0.0.0',
    guard: writeGuard({
      allowWrite: options.allowWrite ?? false,
      token: options.token ?? null,
      clientAddress: options.clientAddress ?? socketAddress,
    }),
  };

  const app = new Hono();
  app.onError((error, c) => {
    const api = toApiError(error);
    if (api.status >= 500) log.error(error);
    return c.json(errorBody(api), api.status);
  });

  const api = new Hono();
  api.use(async function refreshReference(_c, next) {
    ctx.reference.refresh();
    await next();
  });
  api.route('/', metaRoutes(ctx));
  api.route('/', positionRoutes(ctx));
  api.route('/', backfillRoutes(ctx));
  api.route('/', lifecycleRoutes(ctx));
  api.all('*', (c) => {
    throw new ApiError(404, 'NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`);
  });
  app.route('/api', api);

  serveWeb(app, options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot);
  return Object.assign(app, { jobs });
}

/** The built app's files, and index.html for every other GET (the app routes by URL hash). */
function serveWeb(app: Hono, webRoot: string | null): void {
  if (webRoot === null) return;
  if (!existsSync(join(webRoot, 'index.html'))) {
    app.get('*', (c) =>
      c.text(
        'The dashboard is not built: run `npm run build:web` (npm ci does it), then restart.',
        404,
      ),
    );
    return;
  }
  app.use('*', serveStatic({ root: webRoot }));
  app.get('*', serveStatic({ root: webRoot, path: 'index.html' }));
}

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
