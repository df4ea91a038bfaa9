/** `lendstats serve`: the dashboard and its JSON API, until SIGINT or SIGTERM. */
import { once } from 'node:events';
import type { Command } from 'commander';
import { integerArgument, numberArgument } from '../args.js';
import type { CliContext } from '../context.js';
import { DEFAULT_LOG_DIR, openRunLog } from '../logging.js';

interface ServeOptions {
  port: number;
  host: string;
  allowWrite?: boolean;
  token?: string;
  maxRateAge: number;
  logDir: string;
  schedule?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** How long a stop waits for a running backfill to end its batch and verification. */
const STOP_GRACE_MS = 30_000;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the dashboard and its JSON API (read-only unless --allow-write)')
    .option('--port <n>', 'port to listen on (0: any free port)', integerArgument(0, 65535), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--allow-write', 'accept saving statistics and starting backfills')
    .option('--token <token>', 'lets hosts other than localhost write (default: $LENDSTATS_TOKEN)')
    .option('--max-rate-age <hours>', 'staleness limit of current_apr', numberArgument(0), 24)
    .option('--log-dir <dir>', 'folder of backfill log files', DEFAULT_LOG_DIR)
    .option('--schedule', 'also refresh hourly at :00 and backfill daily at 00:30 (UTC)')
    .action(async function runServe(opts: ServeOptions) {
      const token = opts.token ?? nonEmpty(ctx.env['LENDSTATS_TOKEN']);
      const store = await ctx.openStore();
      // Loaded on use: the server's modules would slow every other command's start.
      const [{ serve }, { createApp }] = await Promise.all([
        import('@hono/node-server'),
        import('../../server/app.js'),
      ]);
      const app = createApp(store, {
        allowWrite: opts.allowWrite === true,
        token,
        maxRateAgeSeconds: opts.maxRateAge * 3600,
        openRunLog,
        logDir: opts.logDir,
        version: ctx.version,
        log: {
          warn: (message) => ctx.stderr(`warning: ${message}\n`),
          error: (error) => ctx.stderr(`error: ${error instanceof Error ? error.stack : error}\n`),
        },
      });

      const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host });
      await once(server, 'listening');
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : opts.port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      const mode = opts.allowWrite ? 'writes allowed' : 'read-only';
      ctx.stdout(`lendstats dashboard on http://${host}:${port}/ (${store.target}, ${mode})\n`);
      if (opts.allowWrite && token === null && !LOOPBACK.has(opts.host)) {
        ctx.stderr('note: without --token only localhost clients can save or run backfills\n');
      }

      const schedules = opts.schedule
        ? (await import('../../pipeline/schedules.js')).startSchedules({
            openStore: () => ctx.openStore(),
            log: (line) => ctx.stderr(`schedule: ${line}\n`),
            alphafiUrl: nonEmpty(ctx.env['LENDSTATS_ALPHAFI_URL']) ?? undefined,
            maxRateAgeSeconds: opts.maxRateAge * 3600,
            version: ctx.version,
          })
        : null;

      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      await schedules?.stop();
      const running = app.jobs.current();
      if (running !== null) {
        ctx.stderr(`stopping backfill ${running.id} after its current batch\n`);
        app.jobs.cancel(running.id);
        await waitFor(() => app.jobs.current() === null, STOP_GRACE_MS);
      }
      server.close();
      // Open event streams would keep the server alive.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await store.close();
    });
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
