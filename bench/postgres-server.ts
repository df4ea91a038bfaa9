/** Scratch databases on the PostgreSQL server given with --db: created per case, dropped after. */
import pg from 'pg';

/** The server URL with its database replaced by `name`. */
export function databaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A name unique to this run, safe to splice into DDL (letters, digits and underscores). */
export function scratchName(...parts: string[]): string {
  const tail = parts.map((part) => part.replace(/[^a-z0-9]+/gi, '_').toLowerCase());
  return ['lendstats_bench', String(process.pid), ...tail].join('_');
}

async function onServer<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** SQLSTATE of CREATE DATABASE … TEMPLATE while another session is connected to the template. */
const TEMPLATE_IN_USE = '55006';

/**
 * Creates `name`, empty or as a copy of `template`. A copy waits for the template's sessions to
 * end: a closed pool's server processes and autovacuum after an import linger for a while.
 */
export async function createDatabase(
  server: string,
  name: string,
  template?: string,
): Promise<string> {
  const from = template === undefined ? '' : ` TEMPLATE "${template}"`;
  for (let attempt = 1; ; attempt++) {
    try {
      await onServer(server, (client) => client.query(`CREATE DATABASE "${name}"${from}`));
      return databaseUrl(server, name);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== TEMPLATE_IN_USE || attempt >= 120) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function dropDatabase(server: string, name: string): Promise<void> {
  await onServer(server, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/** `PostgreSQL 15.20 at 127.0.0.1:5432`, for the table's title. */
export async function describeServer(server: string): Promise<string> {
  const version = await onServer(server, async (client) => {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? '?';
  });
  return `PostgreSQL ${version.split(' ')[0]} at ${new URL(server).host}`;
}
