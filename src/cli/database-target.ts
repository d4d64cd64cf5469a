// Where the command-line tools find the database: DATABASE_URL, else the embedded PostgreSQL of a running service.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';

/** The database cannot be reached as configured; the message says what to set. */
export class DatabaseTargetError extends Error {}

export interface Target {
  readonly url: string;
  /** Where it connects, without credentials: safe to print. */
  readonly label: string;
}

/** DATABASE_URL, else the embedded PostgreSQL of a running service (read-only use of its files). */
export function databaseTarget(env: NodeJS.ProcessEnv): Target {
  const configured = env.DATABASE_URL?.trim();
  if (configured) {
    let url: URL;
    try {
      url = new URL(configured);
    } catch {
      throw new DatabaseTargetError('DATABASE_URL is not a URL (expected postgres://user:password@host:port/database)');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new DatabaseTargetError('DATABASE_URL must be a postgres:// or postgresql:// URL');
    return { url: configured, label: `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || '/'}` };
  }
  const dataDir = resolve(env.EMBEDDED_DATABASE_DIR?.trim() || '.data/postgres');
  const running = runningEmbeddedPort(dataDir);
  if (running === null) {
    throw new DatabaseTargetError(
      `DATABASE_URL is not set, and no embedded PostgreSQL is running in ${dataDir}. ` +
        'Set DATABASE_URL to the database the service uses, or start the service (npm start) so that its embedded database is up.',
    );
  }
  let password: string;
  try {
    password = readFileSync(`${dataDir}.password`, 'utf8').trim();
  } catch {
    throw new DatabaseTargetError(`the embedded PostgreSQL in ${dataDir} is running but its password file ${dataDir}.password cannot be read; set DATABASE_URL`);
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running}/postgres`,
    label: `embedded PostgreSQL in ${dataDir} (127.0.0.1:${running}/postgres)`,
  };
}

/** The port from postmaster.pid when its postmaster is alive; null when nothing runs there. */
function runningEmbeddedPort(dataDir: string): number | null {
  let lines: string[];
  try {
    lines = readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, owned by another user (postgres runs as its own user under root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return port;
}

/** A connected client for a command-line tool; a refused connection is a DatabaseTargetError naming where. */
export async function connectTo(target: Target, applicationName: string): Promise<Client> {
  const client = new Client({ connectionString: target.url, connectionTimeoutMillis: 10_000, application_name: applicationName });
  // Without a listener, an error on an idle connection would crash instead of being reported.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseTargetError(`cannot connect to ${target.label}: ${(error as Error).message}`);
  }
  return client;
}
